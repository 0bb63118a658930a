/** The middle value; of an even count (pooled rows), the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Runs raw and ours once each unmeasured (the broker's JIT and page cache warm up), then `rounds`
 * times each, alternating which goes first (the 2 cores are shared with the broker, so load
 * drifts), and returns the median rate of each side.
 */
export async function alternatingRounds(
  rounds: number,
  raw: () => Promise<number>,
  ours: () => Promise<number>,
): Promise<{ raw: number; ours: number }> {
  await raw();
  await ours();
  const rates = { raw: [] as number[], ours: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) rates.raw.push(await raw());
    rates.ours.push(await ours());
    if (round % 2 === 1) rates.raw.push(await raw());
  }
  return { raw: median(rates.raw), ours: median(rates.ours) };
}

export interface RoundsSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The median and range of one side's results over the rounds. */
export function summarize(values: readonly number[]): RoundsSummary {
  return { median: median([...values]), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Each side once unmeasured (warm-up), then `rounds` rounds of every side, the order rotating each
 * round so none always runs first on a machine whose load drifts; every side's results in order.
 */
export async function rotatingRounds<K extends string, T>(
  rounds: number,
  sides: Readonly<Record<K, () => Promise<T>>>,
): Promise<Record<K, T[]>> {
  const names = Object.keys(sides) as K[];
  for (const name of names) await sides[name]();
  const results = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(round + index) % names.length]!;
      results[name].push(await sides[name]());
    }
  }
  return results;
}

/** rotatingRounds of rates: the median and range per side. */
export async function roundRobin<K extends string>(
  rounds: number,
  sides: Readonly<Record<K, () => Promise<number>>>,
): Promise<Record<K, RoundsSummary>> {
  return summarizeEach(await rotatingRounds(rounds, sides));
}

/** The median and range of each side's rates. */
export function summarizeEach<K extends string>(
  rates: Readonly<Record<K, readonly number[]>>,
): Record<K, RoundsSummary> {
  return Object.fromEntries(
    (Object.keys(rates) as K[]).map((name) => [name, summarize(rates[name])]),
  ) as Record<K, RoundsSummary>;
}

/** One latency run's percentiles. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/** One percentile of latency runs over the rounds: its median and range (the top is the worst round). */
export function percentileOverRounds(runs: readonly Latency[], p: 'p50' | 'p99'): RoundsSummary {
  return summarize(runs.map((run) => run[p]));
}
