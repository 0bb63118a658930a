import { type Logger } from 'pino';
import { type Registry } from 'prom-client';
import { type DomainEventSubscriber } from '../../application/shared/domain-event-subscriber';
import { type UnitOfWork } from '../../application/shared/unit-of-work';
import { type DomainEventClass } from '../../domain/shared/domain-event';
import { type EventPublisher } from '../../domain/shared/event-publisher.port';
import { type HttpRoute } from '../../interfaces/http/http-route';
import { type AppConfig } from '../config/app.config';
import {
  type EventBus,
  type EventBusMetrics,
  type PublisherHealthChecker,
  type SubscriberHealthChecker,
} from '../eventbus';
import { type DomainEventRegistry } from '../messaging/domain-event-registry';
import { type DomainEventSerializer } from '../messaging/domain-event.serializer';
import { type DomainEventSubscriptions } from '../messaging/domain-event-subscriptions';
import { type DatabaseInbox } from '../persistence/inbox/database.inbox';
import { type Database } from '../persistence/database/database';
import { type OutboxRelay } from '../persistence/outbox/outbox-relay';
import { type OutboxStore } from '../persistence/outbox/outbox-store';
import { type RetentionCleanup } from '../persistence/retention-cleanup';
import { type Tracing } from '../tracing/tracing';
import { token } from './token';

/**
 * Service identifiers shared across the composition root, each typed with what it resolves to. A
 * context's own repositories and use cases have theirs in its module.
 */
export const TOKENS = {
  AppConfig: token<AppConfig>('AppConfig'),
  InstanceId: token<string>('InstanceId'),
  Logger: token<Logger>('Logger'),
  Tracing: token<Tracing>('Tracing'),
  MetricsRegistry: token<Registry>('MetricsRegistry'),
  EventBusMetrics: token<EventBusMetrics>('EventBusMetrics'),
  EventBus: token<EventBus>('EventBus'),
  PublisherHealthChecker: token<PublisherHealthChecker>('PublisherHealthChecker'),
  SubscriberHealthChecker: token<SubscriberHealthChecker>('SubscriberHealthChecker'),
  Database: token<Database>('Database'),
  UnitOfWork: token<UnitOfWork>('UnitOfWork'),
  Inbox: token<DatabaseInbox>('Inbox'),
  OutboxStore: token<OutboxStore>('OutboxStore'),
  OutboxRelay: token<OutboxRelay>('OutboxRelay'),
  RetentionCleanup: token<RetentionCleanup>('RetentionCleanup'),
  EventPublisher: token<EventPublisher>('EventPublisher'),
  DomainEventRegistry: token<DomainEventRegistry>('DomainEventRegistry'),
  DomainEventSerializer: token<DomainEventSerializer>('DomainEventSerializer'),
  DomainEventSubscriptions: token<DomainEventSubscriptions>('DomainEventSubscriptions'),
  /** Multi-binding: each context adds the events it publishes (the registry reads them all). */
  PublishedEvents: token<readonly DomainEventClass[]>('PublishedEvents'),
  /** Multi-binding: each context adds its reactions to domain events, one binding per subscriber. */
  DomainEventSubscriber: token<DomainEventSubscriber>('DomainEventSubscriber'),
  /** Multi-binding: each context adds its HTTP routes. */
  HttpRoute: token<HttpRoute>('HttpRoute'),
} as const;
