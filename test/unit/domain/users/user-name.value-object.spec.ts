import { DomainValidationError } from '../../../../src/domain/shared/domain-error';
import { InvalidUserNameError } from '../../../../src/domain/users/user.errors';
import { UserName } from '../../../../src/domain/users/user-name.value-object';

describe('UserName', () => {
  it('accepts a name and trims surrounding spaces', () => {
    expect(new UserName('  Ada Lovelace ').value).toBe('Ada Lovelace');
  });

  it('accepts a single character', () => {
    expect(new UserName('A').value).toBe('A');
  });

  it('accepts 100 characters and rejects 101', () => {
    expect(new UserName('a'.repeat(100)).value).toHaveLength(100);
    expect(() => new UserName('a'.repeat(101))).toThrow(InvalidUserNameError);
  });

  it('counts characters, not UTF-16 units', () => {
    const hundredEmoji = '😀'.repeat(100);

    expect(new UserName(hundredEmoji).value).toBe(hundredEmoji);
  });

  it('normalizes compatibility forms (NFKC): full-width letters and ligatures become plain ones', () => {
    expect(new UserName('Ａｄａ ﬁne').value).toBe('Ada fine');
  });

  it('keeps the joiners of emoji sequences', () => {
    const family = '👩\u200D👩\u200D👧';
    expect(new UserName(family).value).toBe(family);
  });

  it.each(['Ada\nLovelace', 'Ada\u0000', 'Ada\u001b[31m', 'Ada \u202Eecalevol'])(
    'rejects control and bidirectional-override characters in %p',
    (value) => {
      expect(() => new UserName(value)).toThrow(InvalidUserNameError);
    },
  );

  it.each(['', '   ', '\t\n'])('rejects the blank name %p', (value) => {
    expect(() => new UserName(value)).toThrow(InvalidUserNameError);
  });

  it('raises a validation error with a stable code', () => {
    const error = thrownBy(() => new UserName(''));

    expect(error).toBeInstanceOf(DomainValidationError);
    expect(error).toMatchObject({ code: 'USER_INVALID_NAME', name: 'InvalidUserNameError' });
  });
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the action to throw');
}
