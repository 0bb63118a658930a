import { ValueObject } from '../shared/value-object';
import { InvalidEmailError } from './user.errors';

// RFC 5321 limits: 254 for the whole path, 64 for the local part.
const MAX_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
// The WHATWG form-validation pattern, plus a required dot in the domain: "a@localhost" is no user's address.
const EMAIL_PATTERN =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

// Checked before lower-casing: Unicode case mapping turns some letters into ASCII ones (the Kelvin
// sign U+212A becomes "k"), which would let a look-alike address pass as an ASCII one.
const ASCII_PRINTABLE = /^[\x21-\x7e]*$/;

/**
 * Normalized (trimmed, lower-cased) so that the uniqueness rule ignores case and stray spaces. ASCII
 * only: internationalized addresses are not accepted.
 */
export class Email extends ValueObject<string> {
  constructor(value: string) {
    const trimmed = value.trim();
    const normalized = trimmed.toLowerCase();
    if (!ASCII_PRINTABLE.test(trimmed) || !isValidEmail(normalized)) {
      throw new InvalidEmailError(`Email must be a valid address of at most ${MAX_LENGTH} characters`);
    }
    super(normalized);
  }
}

function isValidEmail(email: string): boolean {
  // Length first: it also bounds the work the pattern can do on hostile input.
  return (
    email.length <= MAX_LENGTH && EMAIL_PATTERN.test(email) && email.indexOf('@') <= MAX_LOCAL_PART_LENGTH
  );
}
