// The runs table's column chooser: every param, metric and tag key of the loaded runs, each one a checkbox, with a
// filter for long key lists and a way back to the default columns. The list is only built while it is open.
import { useState } from 'preact/hooks';
import { columnId, KEY_KINDS, type KeyColumn, type KeyKind, type KeysSeen } from './runs-columns';

const KIND_LABELS: Record<KeyKind, string> = { params: 'Params', metrics: 'Metrics', tags: 'Tags' };

interface Props {
  keys: KeysSeen;
  visible: KeyColumn[];
  /** The ids of the columns to show, or undefined for the defaults. */
  onChange: (ids: string[] | undefined) => void;
}

export function ColumnChooser({ keys, visible, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const shown = new Set(visible.map(columnId));
  const total = KEY_KINDS.reduce((n, kind) => n + keys[kind].length, 0);
  const needle = text.trim().toLowerCase();

  const set = (ids: string[], on: boolean) => {
    const next = new Set(shown);
    ids.forEach(id => (on ? next.add(id) : next.delete(id)));
    onChange([...next]);
  };

  return (
    <details class="column-chooser" open={open} onToggle={e => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Columns ({shown.size} of {total})</summary>
      {open && (
        <div class="chooser-panel">
          <div class="chooser-top">
            <input type="search" placeholder="Find a key" value={text} aria-label="Find a column key"
              onInput={e => setText(e.currentTarget.value)} />
            <button type="button" onClick={() => onChange(undefined)}>Defaults</button>
          </div>
          {KEY_KINDS.map(kind => {
            const matching = keys[kind].filter(k => k.toLowerCase().includes(needle));
            if (!matching.length) return null;
            const ids = matching.map(key => columnId({ kind, key }));
            return (
              <fieldset key={kind}>
                <legend>
                  {KIND_LABELS[kind]}
                  <button type="button" class="link" onClick={() => set(ids, true)}>all</button>
                  <button type="button" class="link" onClick={() => set(ids, false)}>none</button>
                </legend>
                {matching.map((key, i) => (
                  <label key={key} title={key}>
                    <input type="checkbox" checked={shown.has(ids[i])} onChange={e => set([ids[i]], e.currentTarget.checked)} />
                    <span class="mono">{key}</span>
                  </label>
                ))}
              </fieldset>
            );
          })}
        </div>
      )}
    </details>
  );
}
