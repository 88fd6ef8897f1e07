// The datasets a run used (its dataset inputs): name, digest, source type and context, with the schema and source
// folded away.
import { Section } from '../../components';
import type { DatasetInput } from '../../mlflow';

const CONTEXT_TAG = 'mlflow.data.context';

interface Column { name?: string; type?: string }

/** MLflow's schema JSON as "name: type" lines, or the text as it is when it is something else. */
function schemaLines(schema: string): string[] {
  try {
    const columns: Column[] | undefined = JSON.parse(schema).mlflow_colspec;
    if (Array.isArray(columns)) return columns.map(c => `${c.name ?? '(unnamed)'}: ${c.type ?? '?'}`);
  } catch { /* not JSON */ }
  return [schema];
}

export function DatasetsSection({ inputs }: { inputs: DatasetInput[] }) {
  return (
    <Section title={`Datasets (${inputs.length})`}>
      <div class="table-box"><table class="grid run-datasets">
        <thead><tr><th>Name</th><th>Digest</th><th>Source type</th><th>Context</th><th>Details</th></tr></thead>
        <tbody>
          {inputs.map(({ dataset, tags }, i) => {
            const schema = dataset.schema ? schemaLines(dataset.schema) : [];
            return (
              <tr key={`${dataset.name}|${dataset.digest}|${i}`}>
                <td class="name">{dataset.name}</td>
                <td class="mono">{dataset.digest}</td>
                <td>{dataset.source_type}</td>
                <td>{tags?.find(t => t.key === CONTEXT_TAG)?.value ?? ''}</td>
                <td class="details">
                  {schema.length > 0 && (
                    <details><summary>Schema ({schema.length === 1 ? '1 line' : `${schema.length} columns`})</summary>
                      <pre>{schema.join('\n')}</pre></details>
                  )}
                  {dataset.source && <details><summary>Source</summary><pre>{dataset.source}</pre></details>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </Section>
  );
}
