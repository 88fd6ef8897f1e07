// One experiment in the experiments list: its checkbox, its name linking to its runs table (or a rename box) over
// its description, its dates, and the edit actions (rename, delete or restore) for users who may edit.
import { useState } from 'preact/hooks';
import { time } from '../../format';
import { type Experiment, NOTE_TAG } from '../../mlflow';
import { href } from '../../router';

interface Props {
  experiment: Experiment;
  canEdit: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onRename: (name: string) => Promise<boolean>;
  onDelete: () => void;
  onRestore: () => void;
}

export function ExperimentRow({ experiment: e, canEdit, selected, onSelect, onRename, onDelete, onRestore }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const deleted = e.lifecycle_stage === 'deleted';
  const description = e.tags?.find(t => t.key === NOTE_TAG)?.value;

  async function rename(event: Event) {
    event.preventDefault();
    const name = renaming?.trim();
    if (!name || name === e.name || await onRename(name)) setRenaming(null);
  }

  return (
    <tr data-experiment-id={e.experiment_id} class={deleted ? 'deleted' : ''}>
      <td class="select">
        <input type="checkbox" aria-label={`Select ${e.name}`} checked={selected} onChange={ev => onSelect(ev.currentTarget.checked)} />
      </td>
      <td class="name">
        {renaming === null ? <>
          <a href={href(['experiments', e.experiment_id])}>{e.name}</a>
          {description && <div class="description muted" title={description}>{description}</div>}
        </> : (
          <form class="rename" onSubmit={rename}>
            <input value={renaming} aria-label="New name" required autoFocus
              onInput={ev => setRenaming(ev.currentTarget.value)}
              onKeyDown={ev => ev.key === 'Escape' && setRenaming(null)} />
            <button type="submit" class="primary">Save</button>
            <button type="button" onClick={() => setRenaming(null)}>Cancel</button>
          </form>
        )}
      </td>
      <td class="mono">{e.experiment_id}</td>
      <td>{time(e.creation_time)}</td>
      <td>{time(e.last_update_time)}</td>
      {canEdit && (
        <td class="actions">
          {!deleted && renaming === null && <button type="button" onClick={() => setRenaming(e.name)}>Rename</button>}
          {deleted
            ? <button type="button" onClick={onRestore}>Restore</button>
            : <button type="button" class="danger" onClick={onDelete}>Delete</button>}
        </td>
      )}
    </tr>
  );
}
