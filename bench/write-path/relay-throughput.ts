import pino from 'pino';
import { Registry } from 'prom-client';
import { UserRegisteredDomainEvent } from '../../src/domain/users/user-registered.domain-event';
import { getDefaultOutboxConfig } from '../../src/infrastructure/config/persistence.config';
import { createEventBus, EventBusMetrics, type EventBus } from '../../src/infrastructure/eventbus';
import { DomainEventRegistry } from '../../src/infrastructure/messaging/domain-event-registry';
import { JsonDomainEventSerializer } from '../../src/infrastructure/messaging/json-domain-event.serializer';
import { toOutgoingMessage, type OutgoingMessage } from '../../src/infrastructure/messaging/outgoing-message';
import { type Database } from '../../src/infrastructure/persistence/database/database';
import { openDatabase } from '../../src/infrastructure/persistence/database/open-database';
import { migrate } from '../../src/infrastructure/persistence/migrations/migrate';
import { OutboxEventPublisher } from '../../src/infrastructure/persistence/outbox/outbox.event-publisher';
import { OutboxMetrics } from '../../src/infrastructure/persistence/outbox/outbox-metrics';
import { OutboxRelay } from '../../src/infrastructure/persistence/outbox/outbox-relay';
import { OutboxStore } from '../../src/infrastructure/persistence/outbox/outbox-store';
import { counterValue } from '../../test/support/database/relay-fixture';
import { type BenchRow } from '../bench-row';
import { alternatingRounds } from '../stats';
import { sleep } from './clock';
import { benchConfig, dropTopics, uniquePrefix, withScratchDatabase, type BusBackend } from './harness';
import { undisturbed } from './machine';
import { NamespacedEventBus } from './namespaced-event-bus';

const ROUNDS = 3;
/** The relay's window is its batch (default batchSize); the bus side keeps as many publishes in flight. */
const WINDOW = getDefaultOutboxConfig().batchSize;
/** Rows written per transaction while filling the outbox (not timed). */
const FILL_CHUNK = 1_000;
const TIMEOUT_MS = 300_000;

const serializer = new JsonDomainEventSerializer(new DomainEventRegistry([UserRegisteredDomainEvent]));
const logger = pino({ level: 'silent' });

/**
 * One OutboxRelay (default config) publishing `events` committed rows of distinct aggregates, from
 * start until every row is published and marked, next to the bus publishing the same messages
 * (payload, key, message id, headers) with WINDOW publishes in flight. Fresh events every run, so
 * broker de-duplication never applies; relay and bus publish to topics of their own.
 */
export async function benchRelayThroughput(
  serverUrl: string,
  backend: BusBackend,
  events: number,
): Promise<BenchRow> {
  return withScratchDatabase(serverUrl, async (url) => {
    const config = benchConfig(backend, url);
    const database = await openDatabase(config.database, logger);
    await migrate(database);
    const bus = await createEventBus(config.eventbus, { metrics: new EventBusMetrics(new Registry()) });
    const relayBus = new NamespacedEventBus(bus, uniquePrefix('relay'));
    const plainBus = new NamespacedEventBus(bus, uniquePrefix('bus'));
    try {
      const relayRun = (): Promise<number> =>
        undisturbed('a relay run', async () => {
          await fillOutbox(database, registeredEvents(events));
          return logged(backend, 'relay', await relayRate(database, relayBus, events));
        });
      const busRun = (): Promise<number> =>
        undisturbed('a bus run', async () =>
          logged(backend, 'bus', await busRate(plainBus, registeredEvents(events).map(outgoing))),
        );
      const { raw, ours } = await alternatingRounds(ROUNDS, busRun, relayRun);
      const databaseLimit = await undisturbed('a database run', async () => {
        await fillOutbox(database, registeredEvents(events));
        return logged(backend, 'claim + mark alone', await claimAndMarkRate(database, events));
      });
      const bytes = outgoing(registeredEvents(1)[0]!).payload.byteLength;
      return {
        backend: `postgres+${backend}`,
        scenario: `outbox relay: ${events.toLocaleString('en-US')} committed events -> published + marked (${bytes} B, batch ${WINDOW})`,
        ours,
        raw,
        unit: 'msg/s',
        baseline: `bus.publish, same messages, ${WINDOW} in flight`,
        note: `target >= 0.50x; the database alone claims and marks ${Math.round(databaseLimit).toLocaleString('en-US')} rows/s (${(ours / databaseLimit).toFixed(2)}x of it)`,
      };
    } finally {
      await bus.close();
      await database.close();
      const topics = [relayBus, plainBus].map((namespaced) => namespaced.topic('users.events'));
      await dropTopics(config, topics, []);
    }
  });
}

function logged(backend: BusBackend, side: string, rate: number): number {
  console.log(`write-path ${backend} ${side} run: ${Math.round(rate).toLocaleString('en-US')} msg/s`);
  return rate;
}

/** UserRegistered events of distinct new users; every field has a fixed length, so every payload has one size. */
function registeredEvents(count: number): UserRegisteredDomainEvent[] {
  return Array.from(
    { length: count },
    (_, index) =>
      new UserRegisteredDomainEvent({
        aggregateId: crypto.randomUUID(),
        email: `relay-${String(index).padStart(8, '0')}@bench.example`,
        name: 'Relay Bench User',
      }),
  );
}

function outgoing(event: UserRegisteredDomainEvent): OutgoingMessage {
  return toOutgoingMessage(event, serializer);
}

/** An empty outbox, then `events` committed through the real OutboxEventPublisher. */
async function fillOutbox(database: Database, events: UserRegisteredDomainEvent[]): Promise<void> {
  await database.query('TRUNCATE outbox');
  const publisher = new OutboxEventPublisher(database, serializer);
  for (let start = 0; start < events.length; start += FILL_CHUNK) {
    const chunk = events.slice(start, start + FILL_CHUNK);
    await database.transaction(() => publisher.publish(chunk));
  }
  // Fresh statistics, as autovacuum would have them on a table that filled up gradually.
  await database.query('ANALYZE outbox');
}

/** Events/s from relay start until the relay has marked `count` rows published. */
async function relayRate(database: Database, bus: EventBus, count: number): Promise<number> {
  const store = new OutboxStore(database);
  const metrics = new OutboxMetrics(null, () => store.counts());
  const relayId = `bench-relay-${process.pid}`;
  const relay = new OutboxRelay(
    database,
    store,
    bus,
    { ...getDefaultOutboxConfig(), relayId },
    metrics,
    logger,
  );
  const started = performance.now();
  await relay.start();
  try {
    while ((await counterValue(metrics.published)) < count) {
      if (performance.now() - started > TIMEOUT_MS)
        throw new Error(`relay published too few of ${count} rows`);
      await sleep(1);
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    await relay.stop();
  }
}

/**
 * Rows/s of the relay's own statements with no bus in between: claim a batch, mark it published,
 * `concurrency` loops at once as the relay runs them. The most any relay over this database can do.
 */
async function claimAndMarkRate(database: Database, count: number): Promise<number> {
  const store = new OutboxStore(database);
  const { batchSize, concurrency, leaseDuration } = getDefaultOutboxConfig();
  const relayId = `bench-store-${process.pid}`;
  let marked = 0;
  const started = performance.now();
  const loop = async (): Promise<void> => {
    for (;;) {
      const rows = await store.claim(relayId, batchSize, leaseDuration);
      if (rows.length === 0) return;
      // Awaited first: `marked += await ...` would read `marked` before the other loop's turn.
      const done = await store.markPublished(
        relayId,
        rows.map((row) => row.id),
      );
      marked += done.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  if (marked < count) throw new Error(`claimed and marked ${marked} of ${count} rows`);
  return count / ((performance.now() - started) / 1000);
}

/** Msg/s of the bus publishing `messages` as the relay would, WINDOW at a time in flight. */
async function busRate(bus: EventBus, messages: OutgoingMessage[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const publisher = async (): Promise<void> => {
    while (next < messages.length) {
      const message = messages[next++]!;
      await bus.publish(message.topic, message.payload, {
        key: message.key,
        messageId: message.eventId,
        headers: message.headers,
      });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, publisher));
  return messages.length / ((performance.now() - started) / 1000);
}
