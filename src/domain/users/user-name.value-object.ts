import { ValueObject } from '../shared/value-object';
import { InvalidUserNameError } from './user.errors';

const MAX_LENGTH = 100;
// Control characters (line breaks, NUL, escapes) and the bidirectional overrides that make a name
// display as something else. Joiners stay: emoji sequences need them.
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/**
 * NFKC-normalized (full-width letters, ligatures and other compatibility forms become their plain
 * equivalents), so one name has one spelling in storage and in comparisons.
 */
export class UserName extends ValueObject<string> {
  constructor(value: string) {
    const trimmed = value.normalize('NFKC').trim();
    if (FORBIDDEN.test(trimmed)) {
      throw new InvalidUserNameError(
        'User name must not contain control or bidirectional-override characters',
      );
    }
    // Counted in code points so that an emoji or accented name is not penalised for its UTF-16 length.
    const length = [...trimmed].length;
    if (length < 1 || length > MAX_LENGTH) {
      throw new InvalidUserNameError(`User name must have between 1 and ${MAX_LENGTH} characters`);
    }
    super(trimmed);
  }
}
