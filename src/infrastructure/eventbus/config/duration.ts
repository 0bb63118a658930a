import { ConfigError } from './config-error';

export const DURATION_HINT = 'must be a duration like 500ms, 30s, 5m, 1h, 1m30s or a number of milliseconds';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
// Go-style durations as in the seed: `500ms`, `30s`, `1m30s`, `1.5h`; a bare `0` is allowed too.
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds (rounded to whole ms) for a valid duration, otherwise undefined. */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (value === '0') return 0;
  if (!DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/**
 * Parses `500ms`, `30s`, `5m`, `1h`, compounds like `1m30s`, `0`, or a non-negative number of ms.
 * Unitless strings other than `0` are rejected: `"500"` is ambiguous, and guessing is how timeouts go wrong.
 */
export function parseDuration(value: string | number, key: string): number {
  const ms = tryParseDuration(value);
  if (ms === undefined) {
    throw new ConfigError([{ key, message: `${DURATION_HINT}, got ${JSON.stringify(value)}` }]);
  }
  return ms;
}

/** Compact, exact rendering for messages: 90000 -> `1m30s`, 500 -> `500ms`, 0 -> `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  return out;
}
