import { Client } from 'pg';
import { describeWithBroker, type BrokerKind } from '../support/brokers';
import { describeOnPostgres } from '../support/database/test-databases';
import {
  createScratchDatabase,
  postgresServerUrl,
  type ScratchPostgresDatabase,
} from '../support/database/postgres-server';
import { freePort } from '../support/free-port';
import { spawnService, type ServiceProcess } from '../support/service-process';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

/**
 * Fault test of the write path: the service is killed with SIGKILL (no shutdown, no flush) in the
 * middle of a registration load, restarted on the same database and broker, and the load finishes.
 * Every registration answered 201 by either process must end with its user and exactly one welcome
 * notification: the outbox keeps committed events across the crash (the relay's leases on them expire
 * and the new relay publishes them), and the inbox absorbs whatever the broker delivers twice.
 *
 * The wait after the load is bounded by the outbox lease (`outbox.leaseDuration`, 60 s by default:
 * rows the killed relay had claimed are published again once their leases expire) and by the broker
 * giving the killed consumer's messages to the new one (NATS `ackWait`, Kafka `sessionTimeout`, 30 s).
 */
const USERS = 2_000;
const IN_FLIGHT = 20;
/** Mid-stream: this many answers in, with IN_FLIGHT - 1 requests still on their way. */
const KILL_AFTER_ANSWERS = 700;
/** Above Kafka's sessionTimeout (30 s): a restarted consumer joins once the killed member is evicted. */
const START_TIMEOUT = 45_000;
const DELIVERY_TIMEOUT = 90_000;
const REQUEST_TIMEOUT = 10_000;
const WELCOME_GROUP = 'notifications.send-welcome-notification-on-user-registered';
const USERS_TOPIC = 'users.events';

// A run takes about a minute; this bound sits above the deadlines inside the test (two starts, the
// delivery wait), so those fail first and say what was missing.
jest.setTimeout(240_000);

type Outcome =
  | { kind: 'created'; id: string }
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'failed'; reason: string };

const BACKENDS: { kind: BrokerKind; label: string; configFile: string; addressEnv: string }[] = [
  { kind: 'kafka', label: 'Kafka', configFile: 'config/kafka.yaml', addressEnv: 'KAFKA_BROKERS' },
  { kind: 'nats', label: 'NATS JetStream', configFile: 'config/nats.yaml', addressEnv: 'NATS_URL' },
];

for (const backend of BACKENDS) {
  describeWithBroker(
    backend.kind,
    `kill -9 of the service during a load on ${backend.label}`,
    (addresses) => {
      describeOnPostgres('the outbox and the inbox', () => {
        let scratch: ScratchPostgresDatabase | undefined;
        let db: Client | undefined;
        const processes: ServiceProcess[] = [];

        beforeAll(async () => {
          scratch = await createScratchDatabase(postgresServerUrl()!, 'kill_during_load');
          db = new Client({ connectionString: scratch.url });
          await db.connect();
        });

        afterAll(async () => {
          for (const running of processes) {
            if (running.child.exitCode === null && running.child.signalCode === null)
              running.child.kill('SIGKILL');
          }
          await Promise.all(processes.map((running) => running.exited));
          await db?.end();
          await scratch?.drop();
        });

        async function start(): Promise<{ running: ServiceProcess; base: string }> {
          const port = await freePort();
          const running = spawnService({
            DATABASE_URL: scratch!.url,
            PORT: String(port),
            CONFIG_FILE: backend.configFile,
            EVENTBUS_TYPE: backend.kind,
            [backend.addressEnv]: addresses().join(','),
          });
          processes.push(running);
          const base = `http://127.0.0.1:${port}`;
          await waitFor(
            async () => {
              if (running.child.exitCode !== null) throw new Error(`service exited:\n${running.output()}`);
              return (await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200;
            },
            { timeout: START_TIMEOUT, interval: 100, message: () => tail(running.output()) },
          );
          return { running, base };
        }

        async function count(sql: string, params: unknown[] = []): Promise<number> {
          const result = await db!.query<{ count: string }>(sql, params);
          return Number(result.rows[0]!.count);
        }

        it('loses no acknowledged registration and duplicates no welcome notification', async () => {
          const clock = stopwatch();
          const run = uniqueName('kill');
          const emails = Array.from({ length: USERS }, (_, index) => `${run}-${index}@example.com`);
          const outcomes = new Array<Outcome | undefined>(USERS);
          let next = 0;

          // 1. Load against the first process; it is killed after KILL_AFTER_ANSWERS answers.
          const first = await start();
          const firstStart = clock.lap();
          let answers = 0;
          let killed = false;
          await sendRegistrations(first.base, () => (killed || next >= USERS ? undefined : next++), {
            emails,
            outcomes,
            onOutcome: (outcome) => {
              if (outcome.kind === 'failed') return;
              answers++;
              if (answers === KILL_AFTER_ANSWERS) {
                killed = true;
                first.running.child.kill('SIGKILL');
              }
            },
          });
          expect(killed).toBe(true);
          expect(await first.running.exited).toEqual({ code: null, signal: 'SIGKILL' });
          const firstLoad = clock.lap();

          const attemptedBeforeKill = next;
          const beforeKill = outcomes.slice(0, attemptedBeforeKill);
          const failures = beforeKill.flatMap((outcome) =>
            outcome?.kind === 'failed' ? [outcome.reason] : [],
          );
          const createdBeforeKill = beforeKill.filter((outcome) => outcome?.kind === 'created').length;
          // The kill hit requests in flight, and the process answered nothing but 201 before it.
          expect(failures.length).toBeGreaterThan(0);
          expect(beforeKill.filter((outcome) => outcome?.kind === 'refused')).toEqual([]);

          const pendingAtRestart = await count(`SELECT count(*) FROM outbox WHERE status = 'pending'`);
          const leasedAtRestart = await count(
            `SELECT count(*) FROM outbox WHERE status = 'pending' AND leased_until > now()`,
          );
          const committedAtKill = await count('SELECT count(*) FROM users');
          // A 201 means committed; a request cut by the kill may or may not have been.
          expect(committedAtKill).toBeGreaterThanOrEqual(createdBeforeKill);
          expect(committedAtKill).toBeLessThanOrEqual(attemptedBeforeKill);
          const restartedAt = (await db!.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;

          // 2. The same database and broker, a new process: the rest of the load.
          const second = await start();
          const restart = clock.lap();
          await sendRegistrations(second.base, () => (next >= USERS ? undefined : next++), {
            emails,
            outcomes,
          });
          const secondLoad = clock.lap();
          expect(next).toBe(USERS);
          expect(
            outcomes.slice(attemptedBeforeKill).filter((outcome) => outcome?.kind !== 'created'),
          ).toEqual([]);
          const acknowledged = outcomes.flatMap((outcome) =>
            outcome?.kind === 'created' ? [outcome.id] : [],
          );
          expect(acknowledged.length).toBe(USERS - failures.length);

          // 3. Every acknowledged user gets its notification once the outbox is drained. A timeout is
          // not thrown here: the counts below say what is missing.
          let last = { notified: 0, unpublished: -1 };
          const drained = await waitFor(
            async () => {
              last = {
                notified: await count(
                  'SELECT count(DISTINCT user_id) AS count FROM notifications WHERE user_id = ANY($1)',
                  [acknowledged],
                ),
                unpublished: await count(`SELECT count(*) FROM outbox WHERE status <> 'published'`),
              };
              return last.notified === acknowledged.length && last.unpublished === 0;
            },
            { timeout: DELIVERY_TIMEOUT, interval: 250 },
          ).then(
            () => true,
            () => false,
          );
          const delivery = clock.lap();

          // What a client sees, for every acknowledged registration.
          const visible = await mapBounded(acknowledged, IN_FLIGHT, async (id) => {
            const user = await fetch(`${second.base}/users/${id}`);
            const list = await fetch(`${second.base}/notifications?userId=${encodeURIComponent(id)}`);
            const { notifications } = (await list.json()) as { notifications: { kind: string }[] };
            return {
              id,
              user: user.status,
              welcome: notifications.filter((n) => n.kind === 'welcome').length,
            };
          });
          const lost = visible.filter((entry) => entry.user !== 200 || entry.welcome === 0);
          const duplicated = visible.filter((entry) => entry.welcome > 1);

          const metrics = await (await fetch(`${second.base}/metrics`)).text();
          const consumedAfterRestart = sampleSum(metrics, 'eventbus_messages_consumed_total', WELCOME_GROUP);
          const deadLettered = sampleSum(metrics, 'eventbus_messages_dead_lettered_total', WELCOME_GROUP);
          const handledAfterRestart = await count(
            'SELECT count(*) FROM inbox WHERE consumer = $1 AND handled_at >= $2',
            [WELCOME_GROUP, restartedAt],
          );

          // 4. A graceful stop drains in-flight handlers; then the database must hold no duplicate.
          second.running.child.kill('SIGTERM');
          const secondExit = await second.running.exited;
          const users = await count('SELECT count(*) FROM users');
          const outboxRows = await count('SELECT count(*) FROM outbox');
          const deadRows = await count(`SELECT count(*) FROM outbox WHERE status = 'dead'`);
          // Also covers registrations committed but never answered (the kill cut their response).
          const usersWithoutOne = await count(
            `SELECT count(*) FROM users u
               WHERE (SELECT count(*) FROM notifications n WHERE n.user_id = u.id::text) <> 1`,
          );

          console.log(
            `kill -9 during load on ${backend.label}: sent ${USERS}, acknowledged ${acknowledged.length}, ` +
              `failed at the kill ${failures.length} (${summarize(failures)}; ` +
              `${committedAtKill - createdBeforeKill} of them committed anyway), ` +
              `outbox pending at restart ${pendingAtRestart} (${leasedAtRestart} leased by the killed relay), ` +
              `lost ${lost.length}, duplicate notifications ${duplicated.length}, ` +
              `users without exactly one notification ${usersWithoutOne} of ${users}, ` +
              `duplicates delivered after restart ${consumedAfterRestart - handledAfterRestart} ` +
              `(consumed ${consumedAfterRestart}, handled ${handledAfterRestart}), dead-lettered ${deadLettered}; ` +
              `start ${firstStart} s, load until kill ${firstLoad} s, restart ${restart} s, ` +
              `rest of load ${secondLoad} s, delivery ${delivery} s, total ${clock.total()} s`,
          );
          if (!drained) console.log(tail(second.running.output()));

          expect(lost).toEqual([]);
          expect(duplicated).toEqual([]);
          expect(usersWithoutOne).toBe(0);
          expect(drained).toBe(true);
          expect(users).toBeGreaterThanOrEqual(acknowledged.length);
          expect(outboxRows).toBe(users);
          expect(deadRows).toBe(0);
          expect(deadLettered).toBe(0);
          expect(secondExit).toEqual({ code: 0, signal: null });
        });
      });
    },
  );
}

/**
 * POSTs registrations with at most IN_FLIGHT requests on their way, taking indices from `take`
 * until it returns undefined. A request that gets no answer (connection refused or reset) is
 * recorded as failed: the client never learnt whether it was committed.
 */
async function sendRegistrations(
  base: string,
  take: () => number | undefined,
  options: {
    emails: readonly string[];
    outcomes: (Outcome | undefined)[];
    onOutcome?: (outcome: Outcome) => void;
  },
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let index = take(); index !== undefined; index = take()) {
      const outcome = await register(base, options.emails[index]!, index);
      options.outcomes[index] = outcome;
      options.onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function register(base: string, email: string, index: number): Promise<Outcome> {
  try {
    const response = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: `Load ${index}` }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT),
    });
    const body = await response.text();
    if (response.status !== 201) return { kind: 'refused', status: response.status, body };
    return { kind: 'created', id: (JSON.parse(body) as { id: string }).id };
  } catch (error) {
    return {
      kind: 'failed',
      reason: describeFailure(error),
    };
  }
}

/**
 * fetch wraps socket errors: the cause's code (ECONNRESET, UND_ERR_SOCKET) says what happened.
 * Duck-typed: errors from Node internals are not `instanceof Error` inside a jest sandbox.
 */
function describeFailure(error: unknown): string {
  const { message, cause } = error as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  return String(cause?.code ?? cause?.message ?? message ?? error);
}

/** "ECONNRESET x 12, UND_ERR_SOCKET x 3" */
function summarize(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${reason} x ${n}`).join(', ');
}

/** Seconds per phase, for the summary line. */
function stopwatch(): { lap(): string; total(): string } {
  const started = Date.now();
  let lapStarted = started;
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  return {
    lap() {
      const now = Date.now();
      const elapsed = now - lapStarted;
      lapStarted = now;
      return seconds(elapsed);
    },
    total: () => seconds(Date.now() - started),
  };
}

async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** The sum of a counter's samples on the users topic for `group`, from Prometheus text. */
function sampleSum(metrics: string, name: string, group: string): number {
  return metrics
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(`${name}{`) &&
        line.includes(`topic="${USERS_TOPIC}"`) &&
        line.includes(`group="${group}"`),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function tail(output: string): string {
  return output.split('\n').slice(-40).join('\n');
}
