import { DomainValidationError } from '../../../../src/domain/shared/domain-error';
import { Email } from '../../../../src/domain/users/email.value-object';
import { InvalidEmailError } from '../../../../src/domain/users/user.errors';

describe('Email', () => {
  it.each(['ada@example.com', 'ada.lovelace+news@mail.example.co.uk', "o'brien@example.org", 'x@a-b.io'])(
    'accepts %p',
    (value) => {
      expect(new Email(value).value).toBe(value);
    },
  );

  it('trims and lower-cases, so case and stray spaces do not create a second account', () => {
    const email = new Email('  Ada.Lovelace@Example.COM \n');

    expect(email.value).toBe('ada.lovelace@example.com');
    expect(email.equals(new Email('ada.lovelace@example.com'))).toBe(true);
  });

  it.each([
    '',
    '   ',
    'ada',
    'ada@',
    '@example.com',
    'ada@example',
    'ada@@example.com',
    'ada lovelace@example.com',
    'ada@exa mple.com',
    'ada@-example.com',
    'ada@example..com',
    // The Kelvin sign lower-cases to ASCII "k": it must not pass as kelvin@example.com.
    '\u212Aelvin@example.com',
    'ädа@example.com',
    'ada\u0000@example.com',
  ])('rejects %p', (value) => {
    expect(() => new Email(value)).toThrow(InvalidEmailError);
  });

  it('accepts 254 characters and rejects 255', () => {
    const domain = `${['d', 'e', 'f', 'g'].map((c) => c.repeat(60)).join('.')}.com`;
    const atLimit = `${'a'.repeat(254 - domain.length - 1)}@${domain}`;
    const overLimit = `${'a'.repeat(255 - domain.length - 1)}@${domain}`;

    expect(atLimit).toHaveLength(254);
    expect(new Email(atLimit).value).toBe(atLimit);
    expect(() => new Email(overLimit)).toThrow(InvalidEmailError);
  });

  it('rejects a local part longer than 64 characters', () => {
    expect(new Email(`${'a'.repeat(64)}@example.com`).value).toHaveLength(76);
    expect(() => new Email(`${'a'.repeat(65)}@example.com`)).toThrow(InvalidEmailError);
  });

  it('raises a validation error with a stable code', () => {
    const error = thrownBy(() => new Email('nope'));

    expect(error).toBeInstanceOf(DomainValidationError);
    expect(error).toMatchObject({ code: 'USER_INVALID_EMAIL', name: 'InvalidEmailError' });
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
