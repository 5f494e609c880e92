// What a cockpit cell says for a learner and a step. Pure.
import type { CockpitRow } from '../../../../server/src/protocol/api-types';

export type CellState = 'passed' | 'here' | 'not yet';

export function cellState(row: CockpitRow, step: number): CellState {
  if (row.passed.includes(step)) return 'passed';
  if (row.state === 'live' && row.current === step) return 'here';
  return 'not yet';
}

/** "4 min", "1 h 5 min": how long a learner has gone without passing a step. */
export function stuckFor(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The live learner who has gone longest without passing a step (ties: the first), if any is stuck a minute or more. */
export function stuckLongest(rows: readonly CockpitRow[]): string | undefined {
  let longest: CockpitRow | undefined;
  for (const row of rows) if (row.state === 'live' && row.stuckSeconds >= 60 && (!longest || row.stuckSeconds > longest.stuckSeconds)) longest = row;
  return longest?.name;
}
