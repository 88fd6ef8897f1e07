// Placeholder until the run page lands.
export function RunView({ runId, canEdit }: { runId: string; canEdit: boolean }) {
  return <h1>Run {runId} {canEdit ? '' : '(read only)'}</h1>;
}
