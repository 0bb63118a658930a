import type { Email } from '../../../../src/domain/users/email.value-object';
import { User } from '../../../../src/domain/users/user.aggregate';
import type { UserId } from '../../../../src/domain/users/user-id.value-object';
import type { UserName } from '../../../../src/domain/users/user-name.value-object';
import { EmailMother } from './email.mother';
import { UserIdMother } from './user-id.mother';
import { UserNameMother } from './user-name.mother';

export class UserMother {
  /** A freshly registered user; its UserRegisteredDomainEvent is still pending. */
  static registered(overrides: { id?: UserId; email?: Email; name?: UserName } = {}): User {
    return User.register({
      id: overrides.id ?? UserIdMother.random(),
      email: overrides.email ?? EmailMother.random(),
      name: overrides.name ?? UserNameMother.random(),
    });
  }

  /** A user as loaded from storage: no pending events. */
  static existing(
    overrides: { id?: UserId; email?: Email; name?: UserName; registeredAt?: Date } = {},
  ): User {
    return User.fromPrimitives({
      id: (overrides.id ?? UserIdMother.random()).value,
      email: (overrides.email ?? EmailMother.random()).value,
      name: (overrides.name ?? UserNameMother.random()).value,
      registeredAt: (overrides.registeredAt ?? new Date('2024-01-15T10:00:00.000Z')).toISOString(),
    });
  }
}
