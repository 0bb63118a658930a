import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { Counter, Registry } from 'prom-client';
import { ListUserNotificationsUseCase } from '../../../../src/application/notifications/list-user-notifications.use-case';
import { DependencyUnavailableError } from '../../../../src/application/shared/dependency-unavailable.error';
import type { UnitOfWork } from '../../../../src/application/shared/unit-of-work';
import { GetUserUseCase } from '../../../../src/application/users/get-user.use-case';
import { RegisterUserUseCase } from '../../../../src/application/users/register-user.use-case';
import { RenameUserUseCase } from '../../../../src/application/users/rename-user.use-case';
import type { DomainEvent } from '../../../../src/domain/shared/domain-event';
import type { EventPublisher } from '../../../../src/domain/shared/event-publisher.port';
import {
  executionContext,
  type ExecutionContext,
} from '../../../../src/infrastructure/context/execution-context';
import type { TenancyMode } from '../../../../src/infrastructure/context/tenant';
import type { HealthProbes } from '../../../../src/interfaces/http/health/health-probes';
import { createHttpApp } from '../../../../src/interfaces/http/http-app';
import { jsonBody } from '../../../../src/interfaces/http/middleware/json-body.middleware';
import {
  createNotificationsRouter,
  NOTIFICATIONS_ROUTE_DOCS,
} from '../../../../src/interfaces/http/notifications/notifications.controller';
import { createUsersRouter, USERS_ROUTE_DOCS } from '../../../../src/interfaces/http/users/users.controller';
import { FakeEventPublisher } from '../../../support/fakes/fake-event-publisher';
import { FakeNotificationRepository } from '../../../support/fakes/fake-notification.repository';
import { FakeUnitOfWork } from '../../../support/fakes/fake-unit-of-work';
import { FakeUserRepository } from '../../../support/fakes/fake-user.repository';

export const TEST_COUNTER_NAME = 'http_fixture_test_events_total';

export const healthyProbes = (): HealthProbes => ({
  eventBus: () => Promise.resolve(),
  readiness: () => Promise.resolve(),
  liveness: () => [],
});

export interface TestAppOptions {
  bodyLimit?: string;
  health?: HealthProbes;
  publisher?: EventPublisher;
  unitOfWork?: UnitOfWork;
  logger?: Logger;
  healthCheckTimeoutMs?: number;
  healthDetails?: boolean;
  tenancy?: TenancyMode;
}

export interface TestApp {
  app: Express;
  users: FakeUserRepository;
  notifications: FakeNotificationRepository;
  publisher: EventPublisher;
}

/** The real app over the real use cases and in-memory fakes. */
export function buildTestApp(options: TestAppOptions = {}): TestApp {
  const users = new FakeUserRepository();
  const notifications = new FakeNotificationRepository();
  const publisher = options.publisher ?? new FakeEventPublisher();
  const unitOfWork = options.unitOfWork ?? new FakeUnitOfWork();
  const registry = new Registry();
  new Counter({
    name: TEST_COUNTER_NAME,
    help: 'A counter proving the registry is served',
    registers: [registry],
  }).inc();

  const app = createHttpApp({
    routes: [
      {
        path: '/users',
        router: createUsersRouter({
          registerUser: new RegisterUserUseCase(unitOfWork, users, publisher),
          getUser: new GetUserUseCase(users),
          renameUser: new RenameUserUseCase(unitOfWork, users, publisher),
          jsonBody: jsonBody(options.bodyLimit ?? '100kb'),
        }),
        docs: USERS_ROUTE_DOCS,
      },
      {
        path: '/notifications',
        router: createNotificationsRouter({
          listUserNotifications: new ListUserNotificationsUseCase(notifications),
        }),
        docs: NOTIFICATIONS_ROUTE_DOCS,
      },
    ],
    health: options.health ?? healthyProbes(),
    metrics: registry,
    logger: options.logger ?? pino({ level: 'silent' }),
    healthCheckTimeoutMs: options.healthCheckTimeoutMs,
    healthDetails: options.healthDetails,
    tenancy: options.tenancy,
  });
  return { app, users, notifications, publisher };
}

/** A pino logger whose lines are kept, parsed, for assertions. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

/** Records the execution context each publish ran in (FakeEventPublisher cannot see it). */
export class ContextCapturingEventPublisher implements EventPublisher {
  readonly contexts: (ExecutionContext | undefined)[] = [];

  publish(_events: readonly DomainEvent[]): Promise<void> {
    this.contexts.push(executionContext.current());
    return Promise.resolve();
  }
}

/** Fails every publish with a message that must never reach a client. */
export class FailingEventPublisher implements EventPublisher {
  static readonly SECRET_MESSAGE = 'connection to 10.0.0.7:9092 refused (password=hunter2)';

  publish(): Promise<void> {
    return Promise.reject(new Error(FailingEventPublisher.SECRET_MESSAGE));
  }
}

/** A database that cannot be reached: every unit of work fails as the adapter reports it. */
export class UnavailableUnitOfWork implements UnitOfWork {
  static readonly SECRET_MESSAGE =
    'database unavailable: connect ECONNREFUSED postgres://app:hunter2@10.0.0.7:5432/users';

  transactionally<T>(): Promise<T> {
    return Promise.reject(new DependencyUnavailableError('database', UnavailableUnitOfWork.SECRET_MESSAGE));
  }
}
