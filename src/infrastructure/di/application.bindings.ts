import { type Container } from 'inversify';
import { type Logger } from 'pino';
import { SendWelcomeNotificationOnUserRegistered } from '../../application/notifications/send-welcome-notification-on-user-registered.subscriber';
import { ListUserNotificationsUseCase } from '../../application/notifications/list-user-notifications.use-case';
import { type DomainEventSubscriber } from '../../application/shared/domain-event-subscriber';
import { GetUserUseCase } from '../../application/users/get-user.use-case';
import { RegisterUserUseCase } from '../../application/users/register-user.use-case';
import { type NotificationRepository } from '../../domain/notifications/notification.repository.port';
import { type EventPublisher } from '../../domain/shared/event-publisher.port';
import { type UnitOfWork } from '../../application/shared/unit-of-work';
import { UserRegisteredDomainEvent } from '../../domain/users/user-registered.domain-event';
import { type UserRepository } from '../../domain/users/user.repository.port';
import { type AppConfig } from '../config/app.config';
import { type EventBus } from '../eventbus';
import { DomainEventRegistry } from '../messaging/domain-event-registry';
import { type DomainEventSerializer } from '../messaging/domain-event.serializer';
import { DomainEventSubscriptions } from '../messaging/domain-event-subscriptions';
import { type Inbox } from '../messaging/inbox';
import { JsonDomainEventSerializer } from '../messaging/json-domain-event.serializer';
import { traced } from '../tracing/traced-use-case';
import { type Tracing } from '../tracing/tracing';
import { TOKENS } from './tokens';

/** The tracer of the service's own spans (use cases, HTTP requests). */
export const SERVICE_TRACER_NAME = 'hexagonal-eventbus-service';

/** Every domain event class the service can read from the bus. Add new events here. */
const DOMAIN_EVENTS = [UserRegisteredDomainEvent];

/** Use cases, the event registry and serializer, and the domain event subscribers. */
export function bindApplication(container: Container): void {
  container
    .bind(TOKENS.DomainEventRegistry)
    .toResolvedValue(() => new DomainEventRegistry(DOMAIN_EVENTS))
    .inSingletonScope();
  container
    .bind(TOKENS.DomainEventSerializer)
    .toResolvedValue(
      (registry: DomainEventRegistry) => new JsonDomainEventSerializer(registry),
      [TOKENS.DomainEventRegistry],
    )
    .inSingletonScope();

  container
    .bind(TOKENS.RegisterUserUseCase)
    .toResolvedValue(
      (unitOfWork: UnitOfWork, users: UserRepository, publisher: EventPublisher, tracing: Tracing) =>
        traced(
          tracing.tracer(SERVICE_TRACER_NAME),
          'RegisterUserUseCase',
          new RegisterUserUseCase(unitOfWork, users, publisher),
        ),
      [TOKENS.UnitOfWork, TOKENS.UserRepository, TOKENS.EventPublisher, TOKENS.Tracing],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.GetUserUseCase)
    .toResolvedValue(
      (users: UserRepository, tracing: Tracing) =>
        traced(tracing.tracer(SERVICE_TRACER_NAME), 'GetUserUseCase', new GetUserUseCase(users)),
      [TOKENS.UserRepository, TOKENS.Tracing],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.ListUserNotificationsUseCase)
    .toResolvedValue(
      (notifications: NotificationRepository, tracing: Tracing) =>
        traced(
          tracing.tracer(SERVICE_TRACER_NAME),
          'ListUserNotificationsUseCase',
          new ListUserNotificationsUseCase(notifications),
        ),
      [TOKENS.NotificationRepository, TOKENS.Tracing],
    )
    .inSingletonScope();

  // One binding per reaction; DomainEventSubscriptions receives them all through the multi-binding.
  container
    .bind<DomainEventSubscriber>(TOKENS.DomainEventSubscriber)
    .toResolvedValue(
      (notifications: NotificationRepository) => new SendWelcomeNotificationOnUserRegistered(notifications),
      [TOKENS.NotificationRepository],
    )
    .inSingletonScope();

  container
    .bind(TOKENS.DomainEventSubscriptions)
    .toResolvedValue(
      (
        config: AppConfig,
        bus: EventBus,
        registry: DomainEventRegistry,
        serializer: DomainEventSerializer,
        subscribers: DomainEventSubscriber[],
        inbox: Inbox,
        logger: Logger,
      ) =>
        new DomainEventSubscriptions(
          bus,
          registry,
          serializer,
          subscribers,
          inbox,
          logger.child({ component: 'subscriptions' }),
          { deadLetterSuffix: config.eventbus.deadLetter.topicSuffix, tenancy: config.service.tenancy },
        ),
      [
        TOKENS.AppConfig,
        TOKENS.EventBus,
        TOKENS.DomainEventRegistry,
        TOKENS.DomainEventSerializer,
        { isMultiple: true, serviceIdentifier: TOKENS.DomainEventSubscriber },
        TOKENS.Inbox,
        TOKENS.Logger,
      ],
    )
    .inSingletonScope();
}
