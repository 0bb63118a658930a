/** Service identifiers of the composition root. Symbols, so no two bindings can collide by name. */
export const TOKENS = {
  AppConfig: Symbol.for('AppConfig'),
  InstanceId: Symbol.for('InstanceId'),
  Logger: Symbol.for('Logger'),
  MetricsRegistry: Symbol.for('MetricsRegistry'),
  EventBusMetrics: Symbol.for('EventBusMetrics'),
  EventBus: Symbol.for('EventBus'),
  PublisherHealthChecker: Symbol.for('PublisherHealthChecker'),
  SubscriberHealthChecker: Symbol.for('SubscriberHealthChecker'),
  UserRepository: Symbol.for('UserRepository'),
  NotificationRepository: Symbol.for('NotificationRepository'),
  DomainEventRegistry: Symbol.for('DomainEventRegistry'),
  DomainEventSerializer: Symbol.for('DomainEventSerializer'),
  EventPublisher: Symbol.for('EventPublisher'),
  /** Multi-binding: every reaction to a domain event is one more binding here. */
  DomainEventSubscriber: Symbol.for('DomainEventSubscriber'),
  DomainEventSubscriptions: Symbol.for('DomainEventSubscriptions'),
  RegisterUserUseCase: Symbol.for('RegisterUserUseCase'),
  GetUserUseCase: Symbol.for('GetUserUseCase'),
  ListUserNotificationsUseCase: Symbol.for('ListUserNotificationsUseCase'),
} as const;
