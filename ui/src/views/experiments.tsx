// Placeholder until the experiments list lands.
export function ExperimentsView({ canEdit }: { canEdit: boolean }) {
  return <h1>Experiments {canEdit ? '' : '(read only)'}</h1>;
}
