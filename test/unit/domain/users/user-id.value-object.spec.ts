import { InvalidArgumentError } from '../../../../src/domain/shared/domain-error';
import { UserId } from '../../../../src/domain/users/user-id.value-object';

describe('UserId', () => {
  it('generates distinct valid UUIDs', () => {
    const first = UserId.generate();
    const second = UserId.generate();

    expect(first).toBeInstanceOf(UserId);
    expect(UserId.isValid(first.value)).toBe(true);
    expect(first.equals(second)).toBe(false);
  });

  it('rebuilds from its value', () => {
    const id = UserId.generate();

    expect(new UserId(id.value).equals(id)).toBe(true);
  });

  it('rejects a value that is not a UUID', () => {
    expect(() => new UserId('user-1')).toThrow(InvalidArgumentError);
  });
});
