/**
 * One decorator per kind of config value, each a single constraint with a message that says what
 * is expected and what was found (the dotted key is added by `validateSchema`).
 */
import { Transform, Type } from 'class-transformer';
import { IsObject, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { DURATION_HINT, formatDuration, tryParseDuration } from './duration';

type Check = (value: unknown) => boolean;

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `expected` plus what was found; `secret` values are never echoed. */
function rule(name: string, check: Check, expected: string, secret = false): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => check(value),
      defaultMessage: (args?: ValidationArguments) => {
        if (args?.value === undefined) return `is required: ${expected}`;
        return secret ? expected : `${expected}, got ${describe(args.value)}`;
      },
    },
  });
}

function range(min: number, max?: number): string {
  return max === undefined ? `>= ${min}` : `in ${min}..${max}`;
}

export function IsIntIn(min: number, max?: number): PropertyDecorator {
  const check: Check = (v) =>
    Number.isInteger(v) && (v as number) >= min && (max === undefined || (v as number) <= max);
  return rule('isIntIn', check, `must be an integer ${range(min, max)}`);
}

export function IsNumberIn(min: number, max?: number): PropertyDecorator {
  const check: Check = (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && (max === undefined || v <= max);
  return rule('isNumberIn', check, `must be a number ${range(min, max)}`);
}

export function IsBool(): PropertyDecorator {
  return rule('isBool', (v) => typeof v === 'boolean', 'must be true or false');
}

export function IsOneOf(values: readonly unknown[]): PropertyDecorator {
  return rule('isOneOf', (v) => values.includes(v), `must be one of ${values.join(', ')}`);
}

/** A non-empty string, optionally matching `pattern` (described by `hint`). */
export function IsText(
  options: { pattern?: RegExp; hint?: string; secret?: boolean } = {},
): PropertyDecorator {
  const check: Check = (v) => typeof v === 'string' && v.length > 0 && (options.pattern?.test(v) ?? true);
  return rule('isText', check, options.hint ?? 'must be a non-empty string', options.secret);
}

/** A list whose entries all pass `check`; the message names the bad entries. */
export function IsListOf(check: Check, hint: string): PropertyDecorator {
  return ValidateBy({
    name: 'isListOf',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(check),
      defaultMessage: (args?: ValidationArguments) => {
        const value: unknown = args?.value;
        if (!Array.isArray(value)) return `must be a list of ${hint}, got ${describe(value)}`;
        return `every entry must be ${hint}, invalid: ${value
          .filter((v) => !check(v))
          .map(describe)
          .join(', ')}`;
      },
    },
  });
}

/**
 * Converts seed duration strings to milliseconds while the object is built, leaving invalid input
 * untouched so the validator can report it with the original text.
 */
export function IsDuration(
  options: { positive?: boolean; min?: number; max?: number } = {},
): PropertyDecorator {
  const convert = Transform(({ value }: { value: unknown }) => tryParseDuration(value) ?? value, {
    toClassOnly: true,
  });
  const min = options.min ?? (options.positive ? 1 : 0);
  const check: Check = (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    v >= min &&
    (options.max === undefined || v <= options.max);
  const bounds =
    options.min !== undefined || options.max !== undefined
      ? `, ${options.min !== undefined ? `at least ${formatDuration(options.min)}` : ''}${
          options.min !== undefined && options.max !== undefined ? ' and ' : ''
        }${options.max !== undefined ? `at most ${formatDuration(options.max)}` : ''}`
      : options.positive
        ? ', above 0'
        : '';
  const validate = rule('isDuration', check, `${DURATION_HINT}${bounds}`);
  return (target, key) => {
    convert(target, key);
    validate(target, key);
  };
}

/** A nested mapping validated by `schema`; lists and scalars are rejected. */
export function IsSection(schema: () => new () => object): PropertyDecorator {
  const nested = ValidateNested();
  const type = Type(schema);
  const mapping = IsObject({
    message: (args) =>
      args.value === undefined ? 'is required' : `must be a mapping, got ${describe(args.value)}`,
  });
  return (target, key) => {
    nested(target, key);
    type(target, key);
    mapping(target, key);
  };
}
