import { RegisterUserUseCase } from '../../../src/application/users/register-user.use-case';
import { UserRegisteredDomainEvent } from '../../../src/domain/users/user-registered.domain-event';
import { DomainEventRegistry } from '../../../src/infrastructure/messaging/domain-event-registry';
import { JsonDomainEventSerializer } from '../../../src/infrastructure/messaging/json-domain-event.serializer';
import type { Database } from '../../../src/infrastructure/persistence/database/database';
import { DatabaseUnitOfWork } from '../../../src/infrastructure/persistence/database-unit-of-work';
import { DatabaseInbox } from '../../../src/infrastructure/persistence/inbox/database.inbox';
import { PostgresNotificationRepository } from '../../../src/infrastructure/persistence/notifications/postgres-notification.repository';
import { OutboxEventPublisher } from '../../../src/infrastructure/persistence/outbox/outbox.event-publisher';
import { OutboxStore } from '../../../src/infrastructure/persistence/outbox/outbox-store';
import { PostgresUserRepository } from '../../../src/infrastructure/persistence/users/postgres-user.repository';

/** The persistence adapters over one database, wired as the composition root wires them. */
export function persistenceOver(database: Database) {
  const serializer = new JsonDomainEventSerializer(new DomainEventRegistry([UserRegisteredDomainEvent]));
  const unitOfWork = new DatabaseUnitOfWork(database);
  const users = new PostgresUserRepository(database);
  const publisher = new OutboxEventPublisher(database, serializer);
  return {
    serializer,
    unitOfWork,
    users,
    notifications: new PostgresNotificationRepository(database),
    publisher,
    inbox: new DatabaseInbox(database),
    outbox: new OutboxStore(database),
    registerUser: new RegisterUserUseCase(unitOfWork, users, publisher),
  };
}

export interface OutboxRowView {
  id: string;
  eventId: string;
  aggregateId: string;
  topic: string;
  status: string;
  attempts: number;
}

/** Every outbox row in id order, for assertions. */
export async function outboxRows(database: Database): Promise<OutboxRowView[]> {
  const rows = await database.query<{
    id: string | number;
    event_id: string;
    aggregate_id: string;
    topic: string;
    status: string;
    attempts: number;
  }>('SELECT id, event_id, aggregate_id, topic, status, attempts FROM outbox ORDER BY id');
  return rows.map((row) => ({
    id: String(row.id),
    eventId: row.event_id,
    aggregateId: row.aggregate_id,
    topic: row.topic,
    status: row.status,
    attempts: row.attempts,
  }));
}

export async function countRows(database: Database, table: string): Promise<number> {
  const [row] = await database.query<{ count: string | number }>(`SELECT count(*) AS count FROM ${table}`);
  return Number(row!.count);
}
