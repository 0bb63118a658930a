import { JsonTooComplexError } from '../../../../../src/interfaces/http/errors/http-errors';
import { assertJsonWithinLimits } from '../../../../../src/interfaces/http/middleware/json-limits';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('assertJsonWithinLimits', () => {
  const limits = { maxDepth: 4, maxValues: 10 };

  it('accepts a body within both limits', () => {
    expect(() => assertJsonWithinLimits({ email: 'a@b.c', tags: ['x', 'y'] }, limits)).not.toThrow();
    expect(() => assertJsonWithinLimits(nested(4), limits)).not.toThrow();
  });

  it('refuses nesting deeper than maxDepth, naming the limit', () => {
    expect(() => assertJsonWithinLimits(nested(5), limits)).toThrow(
      new JsonTooComplexError('nested deeper than 4 levels'),
    );
  });

  it('refuses more values than maxValues, naming the limit', () => {
    const wide = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`k${n}`, n]));
    expect(() => assertJsonWithinLimits(wide, limits)).toThrow(
      new JsonTooComplexError('more than 10 values'),
    );
  });

  it('walks 100,000 levels without overflowing the stack (the default limits refuse it)', () => {
    expect(() => assertJsonWithinLimits(nested(100_000))).toThrow(JsonTooComplexError);
  });
});
