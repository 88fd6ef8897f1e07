// A CSV/TSV preview: the header row and the first rows of the file as a table.
import { useMemo } from 'preact/hooks';
import { parseDelimited } from './csv';

const ROWS = 100;

export function DelimitedTable({ text, delimiter, complete }: { text: string; delimiter: string; complete: boolean }) {
  const table = useMemo(() => parseDelimited(text, delimiter, ROWS + 1, complete), [text, delimiter, complete]);
  if (!table.rows.length) return <p class="muted">Empty file.</p>;
  const [header, ...rows] = table.rows;
  const width = Math.max(header.length, ...rows.map(r => r.length));
  const cells = (row: string[]) => Array.from({ length: width }, (_, i) => row[i] ?? '');
  return (
    <>
      <p class="muted">{table.more ? `The first ${rows.length} rows` : `${rows.length} row${rows.length === 1 ? '' : 's'}`}</p>
      <div class="table-box">
        <table class="grid delimited">
          <thead><tr>{cells(header).map((h, i) => <th key={i}>{h}</th>)}</tr></thead>
          <tbody>{rows.map((row, r) => <tr key={r}>{cells(row).map((c, i) => <td key={i}>{c}</td>)}</tr>)}</tbody>
        </table>
      </div>
    </>
  );
}
