import type { DomainEvent } from '../../../src/domain/shared/domain-event';
import { DEFAULT_TENANT_ID } from '../../../src/infrastructure/context/tenant';
import { messageKey } from '../../../src/infrastructure/messaging/outgoing-message';
import type {
  EventBus,
  HealthCheckOptions,
  MessagePayload,
  PublishOptions,
} from '../../../src/infrastructure/eventbus';
import type { OutboxRelay } from '../../../src/infrastructure/persistence/outbox/outbox-relay';
import { OutboxStore } from '../../../src/infrastructure/persistence/outbox/outbox-store';
import { FakeUserNicknamedDomainEvent } from '../../support/fakes/fake-domain-events';
import { outboxRows, persistenceOver } from '../../support/database/persistence-fixture';
import { counterValue, createTestRelay } from '../../support/database/relay-fixture';
import {
  createTestDatabase,
  describeOnEachDatabase,
  describeOnPostgres,
  type TestDatabase,
} from '../../support/database/test-databases';
import { collectTopic, createTestMemoryBus, type ReceivedMessage } from '../../support/memory-bus';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(120_000);

const TOPIC = 'users.events';

function renamed(aggregateId: string, n: number): DomainEvent {
  return new FakeUserNicknamedDomainEvent({ aggregateId, name: `name-${n}` });
}

/** Message ids per key (tenant/aggregate), in the order the bus delivered them. */
function orderByKey(received: readonly ReceivedMessage[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const { context } of received) {
    byKey.set(context.key!, [...(byKey.get(context.key!) ?? []), context.messageId]);
  }
  return byKey;
}

/**
 * A real memory bus whose publish fails for the listed message ids until they are removed, and
 * which, while `down`, refuses every publish and fails its health check as a bus without a broker does.
 */
class FailingBus {
  readonly failFor = new Set<string>();
  down = false;
  constructor(private readonly inner: EventBus) {}

  asEventBus(): EventBus {
    return new Proxy(this.inner, {
      get: (target, property, receiver) => {
        if (property === 'healthCheck')
          return (options?: HealthCheckOptions) =>
            this.down ? Promise.reject(new Error('broker unreachable')) : target.healthCheck(options);
        if (property !== 'publish') return Reflect.get(target, property, receiver) as unknown;
        return (topic: string, message: MessagePayload, options?: PublishOptions) =>
          this.down || (options?.messageId && this.failFor.has(options.messageId))
            ? Promise.reject(new Error(`broker refused ${options?.messageId}`))
            : target.publish(topic, message, options);
      },
    });
  }
}

/** Counts the claims that came back empty, observing the real store without changing it. */
function countEmptyClaims(store: OutboxStore): () => number {
  let empty = 0;
  const claim = store.claim.bind(store);
  jest.spyOn(store, 'claim').mockImplementation(async (...args) => {
    const rows = await claim(...args);
    if (rows.length === 0) empty++;
    return rows;
  });
  return () => empty;
}

describeOnEachDatabase('outbox relay', (driver) => {
  let test: TestDatabase;
  let p: ReturnType<typeof persistenceOver>;
  let bus: ReturnType<typeof createTestMemoryBus>['bus'];
  let received: ReceivedMessage[];
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(() => test.dispose());

  beforeEach(async () => {
    await test.database.execScript('TRUNCATE outbox');
    p = persistenceOver(test.database);
    bus = createTestMemoryBus().bus;
    received = await collectTopic(bus, TOPIC, 'observer');
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await bus.close();
  });

  function startRelay(
    ...args: Parameters<typeof createTestRelay> extends [unknown, unknown, ...infer R] ? R : never
  ) {
    const made = createTestRelay(test.database, bus, ...args);
    relays.push(made.relay);
    return made;
  }

  /** Writes events one transaction each, interleaving aggregates, as concurrent requests would. */
  async function writeInterleaved(aggregates: number, perAggregate: number): Promise<Map<string, string[]>> {
    const expected = new Map<string, string[]>();
    for (let n = 0; n < perAggregate; n++) {
      for (let a = 0; a < aggregates; a++) {
        const event = renamed(`aggregate-${a}`, n);
        await p.unitOfWork.transactionally(() => p.publisher.publish([event]));
        const key = messageKey(DEFAULT_TENANT_ID, event.aggregateId);
        expected.set(key, [...(expected.get(key) ?? []), event.eventId]);
      }
    }
    return expected;
  }

  it('4 relays on one outbox: 20 aggregates x 50 events, each published once, in order per aggregate', async () => {
    const expected = await writeInterleaved(20, 50);
    const started = ['relay-1', 'relay-2', 'relay-3', 'relay-4'].map((id) =>
      startRelay(id, { batchSize: 8 }),
    );
    await Promise.all(started.map(({ relay }) => relay.start()));

    await waitFor(() => received.length >= 1000, {
      timeout: 60_000,
      message: () => `received ${received.length}`,
    });
    await waitFor(async () => (await p.outbox.counts()).pending === 0);

    const ids = received.map((message) => message.context.messageId);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toHaveLength(1000);
    expect(orderByKey(received)).toEqual(expected);
    expect((await outboxRows(test.database)).every((row) => row.status === 'published')).toBe(true);
    const perRelay = await Promise.all(started.map(({ metrics }) => counterValue(metrics.published)));
    expect(perRelay.reduce((a, b) => a + b, 0)).toBe(1000);
    // The relays really worked side by side, rather than one doing everything.
    expect(perRelay.filter((published) => published > 0).length).toBeGreaterThan(1);
  });

  it('runs `concurrency` rounds at once, keeping each event once and in order per aggregate', async () => {
    const expected = await writeInterleaved(20, 10);
    let inFlight = 0;
    let mostInFlight = 0;
    const slowBus = new Proxy(bus, {
      get: (target, property, receiver) => {
        if (property !== 'publish') return Reflect.get(target, property, receiver) as unknown;
        return async (topic: string, message: MessagePayload, options?: PublishOptions) => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          // A broker round trip long enough for the other rounds to claim meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 20));
          try {
            await target.publish(topic, message, options);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const { relay, metrics } = createTestRelay(test.database, slowBus, 'relay-concurrent', {
      batchSize: 4,
      concurrency: 3,
    });
    relays.push(relay);
    await relay.start();

    await waitFor(async () => (await counterValue(metrics.published)) >= 200, {
      timeout: 60_000,
      message: () => `received ${received.length}`,
    });

    const ids = received.map((message) => message.context.messageId);
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
    expect(orderByKey(received)).toEqual(expected);
    // More than one batch was with the broker at a time.
    expect(mostInFlight).toBeGreaterThan(4);
  });

  it('publishes with the event id as message id, tenant and aggregate as key, and the recorded headers', async () => {
    const event = renamed('aggregate-x', 1);
    await p.unitOfWork.transactionally(() => p.publisher.publish([event]));
    await startRelay('relay-1').relay.start();

    await waitFor(() => received.length === 1);
    const [{ context, payload }] = received as [ReceivedMessage];
    expect(context).toMatchObject({ topic: TOPIC, key: 'default/aggregate-x', messageId: event.eventId });
    expect(context.headers['eventbus-type']).toBe('users.user.nicknamed');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ eventId: event.eventId });
  });

  it('wakes on the commit notification, well before its polling interval', async () => {
    const { relay, store } = startRelay('relay-1', { pollInterval: 60_000 });
    const emptyClaims = countEmptyClaims(store);
    await relay.start();
    // Once a round found nothing, the relay sleeps for its whole minute unless notified.
    await waitFor(() => emptyClaims() >= 1);

    const event = renamed('aggregate-y', 1);
    await p.unitOfWork.transactionally(() => p.publisher.publish([event]));

    await waitFor(() => received.length === 1, { timeout: 5_000 });
  });

  it('takes over rows leased by a relay that crashed, once the lease expires', async () => {
    const expected = await writeInterleaved(3, 4);
    // A relay that claimed a batch and died before publishing: its leases hold the rows for 500 ms.
    const orphaned = await p.outbox.claim('crashed-relay', 100, 500);
    expect(orphaned).toHaveLength(3);

    const { relay } = startRelay('survivor');
    await relay.start();

    await waitFor(() => received.length === 12, { timeout: 10_000 });
    expect(orderByKey(received)).toEqual(expected);
    const rows = await outboxRows(test.database);
    // The orphaned rows count the crashed attempt and the survivor's.
    expect(
      rows
        .filter((row) => row.attempts === 2)
        .map((row) => row.eventId)
        .sort(),
    ).toEqual(orphaned.map((row) => row.eventId).sort());
  });

  it('stops without losing anything: a new relay finishes the work', async () => {
    const expected = await writeInterleaved(5, 20);
    // The first relay is told to stop from inside its 10th publish, i.e. with a batch in flight.
    let publishes = 0;
    let stopping: Promise<void> | undefined;
    const stoppingBus = new Proxy(bus, {
      get: (target, property, receiver) =>
        property !== 'publish'
          ? (Reflect.get(target, property, receiver) as unknown)
          : (topic: string, message: MessagePayload, options?: PublishOptions) => {
              if (++publishes === 10) stopping = first.relay.stop();
              return target.publish(topic, message, options);
            },
    });
    const first = createTestRelay(test.database, stoppingBus, 'first', { batchSize: 4 });
    await first.relay.start();
    await waitFor(() => stopping !== undefined);
    await stopping;
    const publishedByFirst = received.length;

    await startRelay('second').relay.start();

    await waitFor(() => received.length === 100, { message: () => `received ${received.length}` });
    expect(publishedByFirst).toBeGreaterThanOrEqual(10);
    expect(publishedByFirst).toBeLessThan(100);
    expect(orderByKey(received)).toEqual(expected);
    expect(new Set(received.map((message) => message.context.messageId)).size).toBe(100);
  });

  it('marks a row dead after its last attempt, holds back its aggregate, and publishes in order once requeued', async () => {
    const failing = new FailingBus(bus);
    const poison = renamed('aggregate-p', 1);
    const behind = renamed('aggregate-p', 2);
    const other = renamed('aggregate-q', 1);
    await p.unitOfWork.transactionally(() => p.publisher.publish([poison, behind, other]));
    failing.failFor.add(poison.eventId);
    const { relay, metrics } = createTestRelay(test.database, failing.asEventBus(), 'relay-1', {
      maxAttempts: 3,
    });
    relays.push(relay);
    await relay.start();

    await waitFor(async () => (await counterValue(metrics.dead)) === 1, { timeout: 10_000 });
    await waitFor(() => received.length === 1);
    expect(received[0]!.context.messageId).toBe(other.eventId);
    const rows = await outboxRows(test.database);
    expect(rows.map((row) => [row.eventId, row.status, row.attempts])).toEqual([
      [poison.eventId, 'dead', 3],
      [behind.eventId, 'pending', 0],
      [other.eventId, 'published', 1],
    ]);
    expect(await counterValue(metrics.publishFailures)).toBe(3);
    expect((await p.outbox.counts()).dead).toBe(1);

    failing.failFor.clear();
    expect(await p.outbox.requeueDead([poison.eventId])).toBe(1);

    await waitFor(() => received.length === 3);
    expect(received.map((message) => message.context.messageId)).toEqual([
      other.eventId,
      poison.eventId,
      behind.eventId,
    ]);
  });

  it('spends no attempt while the bus is down: rows outlive maxAttempts failed rounds and go out once it is back', async () => {
    const failing = new FailingBus(bus);
    failing.down = true;
    const first = renamed('aggregate-a', 1);
    const second = renamed('aggregate-b', 1);
    await p.unitOfWork.transactionally(() => p.publisher.publish([first, second]));
    const { relay, metrics } = createTestRelay(test.database, failing.asEventBus(), 'relay-1', {
      maxAttempts: 2,
    });
    relays.push(relay);
    await relay.start();

    // Five failed rounds of both rows, each of which would have spent an attempt.
    await waitFor(async () => (await counterValue(metrics.publishFailures)) >= 10, { timeout: 20_000 });
    const during = await outboxRows(test.database);
    expect(during.map((row) => row.status)).toEqual(['pending', 'pending']);
    // 0, or 1 for a row claimed by a round in progress right now: no failed round is counted.
    expect(Math.max(...during.map((row) => row.attempts))).toBeLessThanOrEqual(1);
    expect(await counterValue(metrics.dead)).toBe(0);

    failing.down = false;
    await waitFor(() => received.length === 2, { timeout: 10_000 });
    expect(received.map((message) => message.context.messageId).sort()).toEqual(
      [first.eventId, second.eventId].sort(),
    );
    await waitFor(async () => (await outboxRows(test.database)).every((row) => row.status === 'published'));
  });

  it('deletes published rows after the retention, and keeps the rest', async () => {
    await writeInterleaved(2, 2);
    await startRelay('relay-1').relay.start();
    await waitFor(() => received.length === 4);
    await waitFor(async () => (await outboxRows(test.database)).every((row) => row.status === 'published'));
    await relays[0]!.stop();
    await p.unitOfWork.transactionally(() => p.publisher.publish([renamed('aggregate-late', 1)]));
    await test.database.query(
      `UPDATE outbox SET published_at = now() - interval '2 hours' WHERE status = 'published'`,
    );

    expect(await p.outbox.deletePublished(3_600_000, 100)).toBe(4);
    expect((await outboxRows(test.database)).map((row) => row.status)).toEqual(['pending']);
  });
});

describeOnPostgres('outbox claim with statistics from a quiet outbox', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(() => test.dispose());

  it('claims a batch from a 50,000-row backlog within a 1 s statement timeout', async () => {
    // The statistics say nothing is pending (the state autovacuum sees most of the time); then a
    // backlog builds up, as behind a broker outage, before they are taken again.
    await test.database.execScript(`
      TRUNCATE outbox;
      INSERT INTO outbox (tenant_id, event_id, event_name, aggregate_id, message_key, topic, payload, headers, status, published_at)
      SELECT 'default', 'event-' || n, 'users.user.registered', 'aggregate-' || n, 'default/aggregate-' || n,
             'users.events', '\x7b7d', '{}', 'published', now()
      FROM generate_series(1, 50000) AS n;
      ANALYZE outbox;
      UPDATE outbox SET status = 'pending', published_at = NULL;`);
    const store = new OutboxStore(test.database);

    const claimed = await test.database.transaction(async () => {
      await test.database.query(`SET LOCAL statement_timeout = '1s'`);
      return store.claim('relay-1', 256, 60_000);
    });

    expect(claimed).toHaveLength(256);
    expect(claimed[0]!.eventId).toBe('event-1');
  });
});

describeOnPostgres('outbox relay listener', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(() => test.dispose());

  const listenerPids = async (): Promise<number[]> =>
    (
      await test.database.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
      )
    ).map((row) => row.pid);

  it('reconnects its LISTEN connection after losing it, and still wakes on commits', async () => {
    const p = persistenceOver(test.database);
    const { bus } = createTestMemoryBus();
    const received = await collectTopic(bus, TOPIC, 'observer');
    // Polling so rare that only a notification can explain a prompt publish.
    const { relay } = createTestRelay(test.database, bus, 'relay-1', { pollInterval: 60_000 });
    await relay.start();
    try {
      await waitFor(async () => (await listenerPids()).length === 1);
      const [before] = await listenerPids();

      await test.database.query('SELECT pg_terminate_backend($1)', [before]);
      await waitFor(async () => {
        const pids = await listenerPids();
        return pids.length === 1 && pids[0] !== before;
      });
      await p.unitOfWork.transactionally(() => p.publisher.publish([renamed('aggregate-z', 1)]));

      await waitFor(() => received.length === 1, { timeout: 5_000 });
    } finally {
      await relay.stop();
      await bus.close();
    }
  });
});
