import { InvalidArgumentError } from './domain-error';
import { ValueObject } from './value-object';

// Any version: identifiers created elsewhere (v1, v7) are as valid as our own v4.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Base of identifiers that are UUIDs; stored lower-cased so lookups do not depend on case. */
export abstract class Uuid extends ValueObject<string> {
  constructor(value: string) {
    if (!Uuid.isValid(value)) {
      throw new InvalidArgumentError(`${new.target.name} must be a UUID, got "${value}"`);
    }
    super(value.toLowerCase());
  }

  static isValid(value: string): boolean {
    return UUID_PATTERN.test(value);
  }
}
