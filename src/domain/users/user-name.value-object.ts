import { ValueObject } from '../shared/value-object';
import { InvalidUserNameError } from './user.errors';

const MAX_LENGTH = 100;

export class UserName extends ValueObject<string> {
  constructor(value: string) {
    const trimmed = value.trim();
    // Counted in code points so that an emoji or accented name is not penalised for its UTF-16 length.
    const length = [...trimmed].length;
    if (length < 1 || length > MAX_LENGTH) {
      throw new InvalidUserNameError(`User name must have between 1 and ${MAX_LENGTH} characters`);
    }
    super(trimmed);
  }
}
