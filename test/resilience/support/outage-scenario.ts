import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Service } from '../../../src/infrastructure/di/service';
import { waitFor } from '../../support/wait-for';
import { HealthWatch } from './health-watch';
import { SteadyLoad, type LoadResult } from './steady-load';

/** What a scenario does to the broker. */
export interface BrokerFaults {
  kill(): Promise<void>;
  /** Starts it again; resolves once it answers. */
  restart(): Promise<void>;
  freeze?(): void;
  thaw?(): void;
}

export interface Fault {
  readonly kind: 'kill' | 'freeze';
  readonly seconds: number;
}

export interface FaultFigures {
  readonly fault: string;
  /** From the fault to the first 503 of /health/ready; undefined if readiness never noticed. */
  readonly notReadyAfterMs: number | undefined;
  /** From the broker answering again (or thawing) to /health/ready answering 200 again. */
  readonly readyAfterRecoveryMs: number;
  /** What readiness said while not ready, each with its ms since the broker came back (negative: before). */
  readonly notReadyReasons: string[];
}

export interface ScenarioReport {
  readonly faults: FaultFigures[];
  readonly requests: LoadResult[];
  /** Users answered 201, with how many welcome notifications each has. */
  readonly notificationsPerUser: Map<string, number>;
  /** Ever 503 on /health/live. */
  readonly livenessFailed: boolean;
  readonly deadOutboxRows: number;
  /** Where the events of users left without a notification stand, e.g. "outbox published, no inbox row: 12". */
  readonly unnotifiedEvents: string[];
}

const REQUESTS_PER_SECOND = 20;
/** Traffic before, between and after faults, with the broker up. */
const STEADY_MS = 3_000;
const READY_TIMEOUT_MS = 90_000;
const DRAIN_TIMEOUT_MS = 120_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The service under steady POST /users load over real HTTP while each fault happens to its broker
 * in turn: the broker killed (or frozen) for the fault's length, then back. Readiness and liveness
 * are polled throughout, as an orchestrator would. Ends once every registered user's notification is
 * in (or the drain deadline passes), and reports what the tests assert on.
 */
export async function runOutageScenario(
  service: Service,
  broker: BrokerFaults,
  faults: readonly Fault[],
): Promise<ScenarioReport> {
  const server = createServer(service.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ready = new HealthWatch(`${base}/health/ready`);
  const live = new HealthWatch(`${base}/health/live`);
  const load = new SteadyLoad(base, REQUESTS_PER_SECOND, 'resilience');
  const figures: FaultFigures[] = [];
  try {
    await waitFor(() => ready.ok, { timeout: READY_TIMEOUT_MS, interval: 50, message: 'never ready' });
    load.start();
    for (const fault of faults) {
      await pause(STEADY_MS);
      figures.push(await inflict(fault, broker, ready));
    }
    await pause(STEADY_MS);
  } finally {
    await load.stop();
  }
  try {
    const registered = load.results.flatMap((result) => (result.id === undefined ? [] : [result.id]));
    const notificationsPerUser = await drained(service, registered);
    const [dead] = await service.database.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM outbox WHERE status = 'dead'`,
    );
    const unnotified = registered.filter((id) => !notificationsPerUser.has(id));
    return {
      faults: figures,
      requests: load.results,
      notificationsPerUser,
      livenessFailed: live.changes.some((change) => !change.ok),
      deadOutboxRows: Number(dead?.n ?? 0),
      unnotifiedEvents: await whereEventsStand(service, unnotified),
    };
  } finally {
    await Promise.all([ready.stop(), live.stop()]);
    await closeServer(server);
  }
}

async function inflict(fault: Fault, broker: BrokerFaults, ready: HealthWatch): Promise<FaultFigures> {
  const started = performance.now();
  if (fault.kind === 'kill') await broker.kill();
  else broker.freeze!();
  // The fault's length is the scenario, not a wait for some condition.
  await pause(fault.seconds * 1000);
  if (fault.kind === 'kill') await broker.restart();
  else broker.thaw!();
  const back = performance.now();
  await waitFor(() => ready.ok && ready.changes.at(-1)!.at >= started, {
    timeout: READY_TIMEOUT_MS,
    interval: 50,
    message: () => `not ready again after the broker came back from ${fault.kind} ${fault.seconds} s`,
  });
  const notReadyAt = ready.firstAfter(started, false);
  return {
    fault: `${fault.kind} ${fault.seconds} s`,
    notReadyAfterMs: notReadyAt === undefined ? undefined : notReadyAt - started,
    readyAfterRecoveryMs: Math.max(0, ready.changes.at(-1)!.at - back),
    notReadyReasons: ready.changes
      .filter((change) => change.at >= started && !change.ok)
      .map((change) => `${Math.round(change.at - back)} ms: ${change.reason}`),
  };
}

/** Waits until every registered user has a notification, then counts them per user. */
async function drained(service: Service, registered: string[]): Promise<Map<string, number>> {
  const counts = async (): Promise<Map<string, number>> => {
    const rows = await service.database.query<{ user_id: string; n: string | number }>(
      `SELECT user_id, count(*) AS n FROM notifications GROUP BY user_id`,
    );
    return new Map(rows.map((row) => [row.user_id, Number(row.n)]));
  };
  let latest = new Map<string, number>();
  await waitFor(
    async () => {
      latest = await counts();
      return registered.every((id) => latest.has(id));
    },
    {
      timeout: DRAIN_TIMEOUT_MS,
      interval: 250,
      message: () =>
        `${registered.filter((id) => !latest.has(id)).length} of ${registered.length} users without a notification`,
    },
  ).catch(() => undefined);
  return latest;
}

/** For users without a notification: their events' outbox status and whether a consumer's inbox has them. */
async function whereEventsStand(service: Service, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await service.database.query<{ status: string | null; handled: boolean; n: string | number }>(
    `SELECT o.status, EXISTS (SELECT 1 FROM inbox i WHERE i.event_id = o.event_id) AS handled, count(*) AS n
       FROM unnest($1::text[]) AS u(id) LEFT JOIN outbox o ON o.aggregate_id = u.id
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [userIds],
  );
  return rows.map(
    (row) =>
      `outbox ${row.status ?? 'missing'}, ${row.handled ? 'in an inbox' : 'no inbox row'}: ${Number(row.n)}`,
  );
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
