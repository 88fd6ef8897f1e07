// Placeholder until the project runs view lands.
export function ProjectRunsView({ canEdit }: { canEdit: boolean }) {
  return <h1>Project runs {canEdit ? '' : '(read only)'}</h1>;
}

export function ProjectRunView({ runId, canEdit }: { runId: string; canEdit: boolean }) {
  return <h1>Project run {runId} {canEdit ? '' : '(read only)'}</h1>;
}
