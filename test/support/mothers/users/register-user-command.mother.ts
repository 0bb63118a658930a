import type { RegisterUserCommand } from '../../../../src/application/users/register-user.use-case';
import { randomFullName } from '../random';
import { EmailMother } from './email.mother';

export class RegisterUserCommandMother {
  static create(overrides: Partial<RegisterUserCommand> = {}): RegisterUserCommand {
    return {
      email: EmailMother.randomValue(),
      name: randomFullName(),
      ...overrides,
    };
  }

  static withInvalidEmail(): RegisterUserCommand {
    return RegisterUserCommandMother.create({ email: 'not-an-email' });
  }
}
