// The run's notes (the tag mlflow.note.content), shown as plain text; an editor changes them in a text area.
import { useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ErrorBox, Section } from '../../components';
import { NOTE_TAG } from '../../mlflow';

export function NotesSection({ runId, note, canEdit, onChanged }:
  { runId: string; note: string; canEdit: boolean; onChanged(): Promise<void> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await mlflow.post('runs/set-tag', { run_id: runId, key: NOTE_TAG, value: draft ?? '' });
      await onChanged();
      setDraft(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const actions = canEdit && draft === null && <button type="button" onClick={() => setDraft(note)}>Edit</button>;
  return (
    <Section title="Notes" actions={actions}>
      {draft === null
        ? (note ? <div class="notes-text">{note}</div> : <p class="muted">No notes.</p>)
        : (
          <div class="notes-edit">
            <textarea aria-label="Notes" rows={6} value={draft} autoFocus onInput={e => setDraft(e.currentTarget.value)} />
            <ErrorBox error={error} />
            <div class="buttons">
              <button type="button" class="primary" disabled={busy} onClick={save}>Save</button>
              <button type="button" disabled={busy} onClick={() => { setDraft(null); setError(null); }}>Cancel</button>
            </div>
          </div>
        )}
    </Section>
  );
}
