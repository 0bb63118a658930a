import { JsonTooComplexError } from '../errors/http-errors';

export interface JsonLimits {
  readonly maxDepth: number;
  readonly maxValues: number;
}

/** Far beyond any body this API takes, far below what a validator's recursion or CPU can bear. */
export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxValues: 1_000 };

/**
 * Throws JsonTooComplexError for parsed JSON nested deeper than `maxDepth` or holding more than
 * `maxValues` values. Iterative, so a body nested 100,000 levels deep cannot overflow the stack here
 * (nor reach class-transformer, whose recursion would).
 */
export function assertJsonWithinLimits(value: unknown, limits: JsonLimits = JSON_LIMITS): void {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let values = 0;
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (++values > limits.maxValues) throw new JsonTooComplexError(`more than ${limits.maxValues} values`);
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limits.maxDepth)
      throw new JsonTooComplexError(`nested deeper than ${limits.maxDepth} levels`);
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
}
