import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import type { ConfigIssue } from './config-error';

// Passed explicitly: unknown keys are errors, and objects that are not schema instances are rejected.
const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

/** Builds `schema` from plain data (running its transforms) and lists every problem under `prefix`. */
export function validateSchema<T extends object>(
  schema: ClassConstructor<T>,
  plain: object,
  prefix: string,
): { value: T; issues: ConfigIssue[] } {
  const instance = plainToInstance(schema, plain);
  const issues: ConfigIssue[] = [];
  collect(validateSync(instance, OPTIONS), prefix, issues);
  return { value: instance, issues };
}

function collect(errors: ValidationError[], prefix: string, out: ConfigIssue[]): void {
  for (const error of errors) {
    const key = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = { ...error.constraints };
    if (constraints.whitelistValidation !== undefined) {
      out.push({ key, message: 'unknown key' });
      continue;
    }
    // A section that is not a mapping says so once; its entries are not worth listing.
    const notMapping = constraints.isObject !== undefined;
    if (notMapping) delete constraints.nestedValidation;
    for (const message of Object.values(constraints)) out.push({ key, message });
    if (error.children && !notMapping) collect(error.children, key, out);
  }
}

/**
 * Plain data out of schema instances. Drops undefined and null: after validation a null can only
 * sit in an optional key (YAML `key:` with nothing after it), which means absent.
 */
export function toPlain<T>(instance: object): T {
  return JSON.parse(JSON.stringify(instance, (_key, value: unknown) => value ?? undefined)) as T;
}
