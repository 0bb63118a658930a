import type { DomainEvent } from '../../../domain/shared/domain-event';
import type { EventPublisher } from '../../../domain/shared/event-publisher.port';
import type { DomainEventSerializer } from '../../messaging/domain-event.serializer';
import { toOutgoingMessage } from '../../messaging/outgoing-message';
import type { Database } from '../database/database';

/** Thrown when events are published outside a unit of work, where they could outlive a rollback or miss a commit. */
export class OutsideTransactionError extends Error {
  readonly code = 'OUTBOX_OUTSIDE_TRANSACTION';

  constructor() {
    super('events must be published inside a unit of work (UnitOfWork.transactionally)');
    this.name = new.target.name;
  }
}

/**
 * The EventPublisher port as a transactional outbox: events become `outbox` rows in the caller's
 * transaction; the OutboxRelay publishes them once committed. Rows keep the order of the list.
 */
export class OutboxEventPublisher implements EventPublisher {
  constructor(
    private readonly database: Database,
    private readonly serializer: DomainEventSerializer,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!this.database.inTransaction()) throw new OutsideTransactionError();
    const messages = events.map((event) => toOutgoingMessage(event, this.serializer));
    // One statement for the whole list; WITH ORDINALITY keeps the identity values in list order.
    await this.database.query(
      `INSERT INTO outbox (tenant_id, event_id, event_name, aggregate_id, message_key, topic, payload, headers)
       SELECT tenant_id, event_id, event_name, aggregate_id, message_key, topic, decode(payload, 'base64'), headers
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
         WITH ORDINALITY AS m(tenant_id, event_id, event_name, aggregate_id, message_key, topic, payload, headers, position)
       ORDER BY position`,
      [
        messages.map((m) => m.tenantId),
        messages.map((m) => m.eventId),
        messages.map((m) => m.eventName),
        messages.map((m) => m.aggregateId),
        messages.map((m) => m.key),
        messages.map((m) => m.topic),
        messages.map((m) => Buffer.from(m.payload).toString('base64')),
        messages.map((m) => JSON.stringify(m.headers)),
      ],
    );
  }
}
