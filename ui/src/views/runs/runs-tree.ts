// Nested runs: a run whose mlflow.parentRunId tag names a run that is loaded too is shown under that parent (like
// MLflow's table); any other run stays where the server's order put it.
import { PARENT_TAG, type Run, tag } from '../../mlflow';

export interface RunRow {
  run: Run;
  depth: number;
  /** How many loaded runs are direct children of this one. */
  children: number;
}

/** The rows on screen, in order: top-level runs in the server's order, each followed by its children if expanded. */
export function runRows(runs: Run[], expanded: ReadonlySet<string>): RunRow[] {
  const loaded = new Set(runs.map(r => r.info.run_id));
  const childrenOf = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const run of runs) {
    const parent = tag(run, PARENT_TAG);
    if (parent && parent !== run.info.run_id && loaded.has(parent)) {
      const siblings = childrenOf.get(parent);
      if (siblings) siblings.push(run);
      else childrenOf.set(parent, [run]);
    } else {
      roots.push(run);
    }
  }

  // Runs in a parent cycle hang under no top-level run: each such cycle shows from one of its runs instead.
  const anchored = new Set<string>();
  const anchor = (run: Run) => {
    if (anchored.has(run.info.run_id)) return;
    anchored.add(run.info.run_id);
    childrenOf.get(run.info.run_id)?.forEach(anchor);
  };
  roots.forEach(anchor);
  for (const run of runs) {
    if (!anchored.has(run.info.run_id)) {
      roots.push(run);
      anchor(run);
    }
  }

  const rows: RunRow[] = [];
  const placed = new Set<string>();
  const place = (run: Run, depth: number) => {
    if (placed.has(run.info.run_id)) return;
    placed.add(run.info.run_id);
    const children = childrenOf.get(run.info.run_id) ?? [];
    rows.push({ run, depth, children: children.length });
    if (expanded.has(run.info.run_id)) children.forEach(child => place(child, depth + 1));
  };
  roots.forEach(run => place(run, 0));
  return rows;
}
