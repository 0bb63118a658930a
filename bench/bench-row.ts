import { type Latency, percentileOverRounds } from './stats';

export interface BenchRow {
  readonly backend: string;
  readonly scenario: string;
  /** Who produced `ours`: the bus (the default), a peer client, or the backend's limit. */
  readonly subject?: string;
  /** The measured value of this row (NaN when it could not be measured; `note` says why). */
  readonly ours: number;
  /** Medians over rounds carry the range of the rounds. */
  readonly range?: { readonly min: number; readonly max: number };
  /** What `ours` is compared with; absent on a row that is a reference itself. */
  readonly raw?: number;
  readonly unit: string;
  readonly baseline?: string;
  /** The backend's limit measured in the same run: what the machine allows for this scenario. */
  readonly limit?: { readonly value: number; readonly name: string };
  /** Printed after the ratio: a difference, a goal, what stopped a ramp. */
  readonly note?: string;
}

/**
 * The p50 and p99 rows of latency runs over rounds: each the median with its range (the top is the
 * worst round), against the raw client's median; the p99 row names the goal that every round meets.
 */
export function latencyRows(
  row: Pick<BenchRow, 'backend' | 'subject' | 'unit' | 'baseline'> & { scenario: (p: string) => string },
  ours: readonly Latency[],
  raw: readonly Latency[],
  p99Goal: string,
): BenchRow[] {
  return (['p50', 'p99'] as const).map((p) => {
    const summary = percentileOverRounds(ours, p);
    return {
      ...row,
      scenario: row.scenario(p),
      ours: summary.median,
      range: { min: summary.min, max: summary.max },
      raw: percentileOverRounds(raw, p).median,
      ...(p === 'p99' && { note: `goal ${p99Goal} in every round: the range's top` }),
    };
  });
}
