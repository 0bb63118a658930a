import { ValueObject } from '../shared/value-object';
import { InvalidEmailError } from './user.errors';

// RFC 5321 limits: 254 for the whole path, 64 for the local part.
const MAX_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
// The WHATWG form-validation pattern, plus a required dot in the domain: "a@localhost" is no user's address.
const EMAIL_PATTERN =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Normalized (trimmed, lower-cased) so that the uniqueness rule ignores case and stray spaces. */
export class Email extends ValueObject<string> {
  constructor(value: string) {
    const normalized = value.trim().toLowerCase();
    if (!isValidEmail(normalized)) {
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
