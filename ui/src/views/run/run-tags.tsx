// The run's tags: its own tags, which an editor may add, change and delete, and MLflow's system tags (mlflow.*),
// read only. The note (mlflow.note.content) has its own section.
import { useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ErrorBox, Section } from '../../components';
import { type KeyValue, NOTE_TAG } from '../../mlflow';

const SYSTEM_PREFIX = 'mlflow.';

interface Props { runId: string; tags: KeyValue[]; canEdit: boolean; onChanged(): Promise<void> }

export function TagsSection({ runId, tags, canEdit, onChanged }: Props) {
  const [error, setError] = useState<unknown>(null);
  const sorted = [...tags].sort((a, b) => a.key.localeCompare(b.key));
  const own = sorted.filter(t => !t.key.startsWith(SYSTEM_PREFIX));
  const system = sorted.filter(t => t.key.startsWith(SYSTEM_PREFIX) && t.key !== NOTE_TAG);

  /** Runs a change, then reloads the run; false when the change failed (the error shows). */
  async function change(request: Promise<unknown>): Promise<boolean> {
    setError(null);
    try {
      await request;
      await onChanged();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }
  const setTag = (key: string, value: string) => change(mlflow.post('runs/set-tag', { run_id: runId, key, value }));
  const deleteTag = (key: string) => change(mlflow.post('runs/delete-tag', { run_id: runId, key }));

  return (
    <Section title={`Tags (${own.length})`}>
      <ErrorBox error={error} />
      {own.length ? (
        <div class="table-box"><table class="grid kv run-tags">
          <thead><tr><th>Key</th><th>Value</th>{canEdit && <th />}</tr></thead>
          <tbody>{own.map(t => <TagRow key={t.key} tag={t} canEdit={canEdit} onSave={setTag} onDelete={deleteTag} />)}</tbody>
        </table></div>
      ) : <p class="muted">No tags.</p>}
      {canEdit && <AddTag existing={own} onAdd={setTag} />}
      {system.length > 0 && (
        <details class="system-tags">
          <summary>System tags ({system.length})</summary>
          <table class="grid kv">
            <tbody>{system.map(t => <tr key={t.key}><td class="key mono">{t.key}</td><td class="value">{t.value}</td></tr>)}</tbody>
          </table>
        </details>
      )}
    </Section>
  );
}

function TagRow({ tag, canEdit, onSave, onDelete }: {
  tag: KeyValue; canEdit: boolean; onSave(key: string, value: string): Promise<boolean>; onDelete(key: string): Promise<boolean>;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: Promise<boolean>) {
    setBusy(true);
    if (await action) setEditing(null);
    setBusy(false);
  }

  return (
    <tr data-tag={tag.key}>
      <td class="key">{tag.key}</td>
      <td class="value">
        {editing === null ? tag.value : (
          <form class="inline-edit" onSubmit={e => { e.preventDefault(); run(onSave(tag.key, editing)); }}>
            <input aria-label={`Value of ${tag.key}`} value={editing} autoFocus
              onInput={e => setEditing(e.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy}>Save</button>
            <button type="button" onClick={() => setEditing(null)}>Cancel</button>
          </form>
        )}
      </td>
      {canEdit && (
        <td class="row-actions">
          {editing === null && <>
            <button type="button" aria-label={`Edit tag ${tag.key}`} onClick={() => setEditing(tag.value)}>Edit</button>
            <button type="button" class="danger" aria-label={`Delete tag ${tag.key}`} disabled={busy}
              onClick={() => run(onDelete(tag.key))}>Delete</button>
          </>}
        </td>
      )}
    </tr>
  );
}

function AddTag({ existing, onAdd }: { existing: KeyValue[]; onAdd(key: string, value: string): Promise<boolean> }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const name = key.trim();
    if (name.startsWith(SYSTEM_PREFIX)) return setProblem(`Keys starting with "${SYSTEM_PREFIX}" are MLflow's own.`);
    setProblem('');
    setBusy(true);
    if (await onAdd(name, value)) {
      setKey('');
      setValue('');
    }
    setBusy(false);
  }

  const replaces = existing.some(t => t.key === key.trim());
  return (
    <form class="add-tag" aria-label="Add a tag" onSubmit={submit}>
      <input aria-label="Tag key" placeholder="Key" value={key} required onInput={e => setKey(e.currentTarget.value)} />
      <input aria-label="Tag value" placeholder="Value" value={value} onInput={e => setValue(e.currentTarget.value)} />
      <button type="submit" class="primary" disabled={busy || !key.trim()}>{replaces ? 'Update tag' : 'Add tag'}</button>
      {problem && <span class="error-text" role="alert">{problem}</span>}
    </form>
  );
}
