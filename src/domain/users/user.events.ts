import type { DomainEventClass } from '../shared/domain-event';
import { UserRegisteredDomainEvent } from './user-registered.domain-event';
import { UserRenamedDomainEvent } from './user-renamed.domain-event';

/** Every event the users context publishes: what other contexts may subscribe to. */
export const USER_EVENTS: readonly DomainEventClass[] = [UserRegisteredDomainEvent, UserRenamedDomainEvent];
