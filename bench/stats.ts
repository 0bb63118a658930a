export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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

/**
 * Each side once unmeasured (warm-up), then `rounds` rounds of every side, the order rotating each
 * round so none always runs first on a machine whose load drifts; the median and range per side.
 */
export async function roundRobin<K extends string>(
  rounds: number,
  sides: Readonly<Record<K, () => Promise<number>>>,
): Promise<Record<K, RoundsSummary>> {
  const names = Object.keys(sides) as K[];
  for (const name of names) await sides[name]();
  const rates = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(round + index) % names.length]!;
      rates[name].push(await sides[name]());
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      { median: median(rates[name]), min: Math.min(...rates[name]), max: Math.max(...rates[name]) },
    ]),
  ) as Record<K, RoundsSummary>;
}
