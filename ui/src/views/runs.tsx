// Placeholder until the runs table lands.
export function RunsView({ experimentIds, query }: { experimentIds: string[]; query: URLSearchParams }) {
  return <h1>Runs of {experimentIds.join(', ')} {query.toString()}</h1>;
}
