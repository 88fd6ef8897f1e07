// A CSV/TSV reader for previews (RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks). It
// stops after the rows it is asked for, so a preview never parses a whole file.

export interface Table { rows: string[][]; more: boolean }

/**
 * The first `maxRows` records of `text`. `complete` is false when the text is only the start of a file: its last
 * record may be cut short and is left out.
 */
export function parseDelimited(text: string, delimiter: string, maxRows: number, complete = true): Table {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let started = false;
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') {
        const end = text.indexOf('"', i);
        field += text.slice(i, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end;
      } else if (text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else {
        quoted = false;
        i++;
      }
      continue;
    }
    if (c === '"' && !started) {
      quoted = started = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      started = false;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      started = false;
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (rows.length > maxRows) return { rows: rows.slice(0, maxRows), more: true };
    } else {
      field += c;
      started = true;
    }
    i++;
  }
  if (complete && (started || row.length)) {
    row.push(field);
    rows.push(row);
  }
  return { rows: rows.slice(0, maxRows), more: rows.length > maxRows || !complete };
}
