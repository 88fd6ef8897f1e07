// Placeholder until the compare view lands.
export function CompareView({ runIds }: { runIds: string[] }) {
  return <h1>Compare {runIds.join(', ')}</h1>;
}
