import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { nextSequence, randomFullName, randomUuid } from '../random';
import { EmailMother } from './email.mother';

export class UserRegisteredDomainEventMother {
  static create(
    overrides: Partial<{
      aggregateId: string;
      eventId: string;
      occurredOn: Date;
      email: string;
      name: string;
    }> = {},
  ): UserRegisteredDomainEvent {
    return new UserRegisteredDomainEvent({
      aggregateId: randomUuid(),
      eventId: randomUuid(),
      // Fixed and distinct per event, so runs are reproducible.
      occurredOn: new Date(Date.UTC(2024, 0, 1) + nextSequence() * 1000),
      email: EmailMother.randomValue(),
      name: randomFullName(),
      ...overrides,
    });
  }
}
