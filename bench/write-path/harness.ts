import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Kafka, logLevel } from 'kafkajs';
import { type AppConfig } from '../../src/infrastructure/config/app.config';
import { loadAppConfig } from '../../src/infrastructure/config/load-app-config';
import { streamNameFor } from '../../src/infrastructure/eventbus/nats/nats-names';
import { createScratchDatabase } from '../../test/support/database/postgres-server';
import { percentile } from '../stats';
import { startBenchService, type BenchService, type WritePathVariant } from './bench-service';
import { nowMs } from './clock';
import { OWN_DATABASE_PREFIX } from './machine';
import { type OpenLoopClient } from './open-loop';

export type BusBackend = 'memory' | 'nats' | 'kafka';

const REPO = join(__dirname, '..', '..');
let namespaces = 0;

/** memory always; nats and kafka when NATS_URL / KAFKA_BROKERS name a broker. */
export function availableBackends(): BusBackend[] {
  const set = (name: string): boolean => Boolean(process.env[name]?.trim());
  return [
    'memory',
    ...(set('NATS_URL') ? (['nats'] as const) : []),
    ...(set('KAFKA_BROKERS') ? (['kafka'] as const) : []),
  ];
}

/** The shipped config of `backend` (brokers from the environment) on the database at `databaseUrl`. */
export function benchConfig(backend: BusBackend, databaseUrl: string): AppConfig {
  const file = join(REPO, 'config', backend === 'memory' ? 'default.yaml' : `${backend}.yaml`);
  const env = {
    NATS_URL: process.env.NATS_URL,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    DATABASE_URL: databaseUrl,
  };
  const config = loadAppConfig({ file, env });
  // Its health messages would share a topic with other users of the broker; not on the write path.
  config.eventbus.healthCheck.enabled = false;
  return config;
}

/** A topic/group prefix no other run or service uses. */
export function uniquePrefix(label: string): string {
  return `wpbench-${Date.now().toString(36)}-${process.pid}-${++namespaces}-${label}.`;
}

/** Runs `work` on a new database of the PostgreSQL server, dropped afterwards. */
export async function withScratchDatabase<T>(
  serverUrl: string,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const scratch = await createScratchDatabase(serverUrl, OWN_DATABASE_PREFIX);
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

/** A bench service of `variant` on its own scratch database and topics, all removed afterwards. */
export async function withBenchService<T>(
  serverUrl: string,
  backend: BusBackend,
  variant: WritePathVariant,
  work: (service: BenchService) => Promise<T>,
): Promise<T> {
  return withScratchDatabase(serverUrl, async (url) => {
    const config = benchConfig(backend, url);
    const service = await startBenchService(config, variant, uniquePrefix(variant));
    try {
      return await work(service);
    } finally {
      await service.stop();
      await dropTopics(config, service.topics, service.groups);
    }
  });
}

/** Deletes the bench's streams (NATS) or topics and groups (Kafka); the memory bus keeps nothing. */
export async function dropTopics(
  config: AppConfig,
  topics: readonly string[],
  groups: readonly string[],
): Promise<void> {
  const { type, nats, kafka } = config.eventbus;
  if (type === 'nats') {
    const connection = await connect({ servers: nats!.urls, noAsyncTraces: true });
    const jsm = await jetstreamManager(connection);
    // Deleting a stream deletes its consumers; a topic never used has no stream.
    for (const topic of topics) await jsm.streams.delete(streamNameFor(topic)).catch(() => false);
    await connection.close();
  } else if (type === 'kafka') {
    const admin = new Kafka({
      clientId: 'bench-cleanup',
      brokers: kafka!.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const used = topics.filter((topic) => existing.has(topic));
    if (used.length > 0) await admin.deleteTopics({ topics: used });
    await admin.deleteGroups([...groups]).catch(() => undefined);
    await admin.disconnect();
  }
}

export interface Outcome {
  readonly rate: number;
  readonly requests: number;
  /** Requests answered with anything but 201, or not answered. */
  readonly failed: number;
  /** The users registered (201). */
  readonly userIds: string[];
  /** Request due -> notification committed, ms, for every notification committed by the deadline. */
  readonly latencies: number[];
  /** Notifications not committed within `drainMs` of the last request's due time. */
  readonly late: number;
  /** Request due -> answered, and -> subscriber began handling, ms: where the time went. */
  readonly answered: number[];
  readonly handlerStarted: number[];
}

/**
 * `rate` req/s for `seconds` against `service`; waits for the notifications until `drainMs` after
 * the last request was due, and counts as late any that committed after that.
 */
export async function measure(
  service: BenchService,
  client: OpenLoopClient,
  rate: number,
  seconds: number,
  drainMs: number,
): Promise<Outcome> {
  const sent = await client.run({ port: service.port, rate, seconds });
  const ids = sent.filter((request) => request.status === 201 && request.id).map((request) => request.id!);
  const deadline = Math.max(...sent.map((request) => request.dueAt)) + drainMs;
  await service.completions.waitFor(ids, deadline);
  const latencies: number[] = [];
  const handlerStarted: number[] = [];
  for (const request of sent) {
    const committedAt = request.id ? service.completions.committedAt(request.id) : undefined;
    if (committedAt === undefined || committedAt > deadline) continue;
    latencies.push(committedAt - request.dueAt);
    handlerStarted.push(service.completions.handlingAt(request.id!)! - request.dueAt);
  }
  return {
    rate,
    requests: sent.length,
    failed: sent.length - ids.length,
    userIds: ids,
    latencies,
    late: ids.length - latencies.length,
    answered: sent.map((request) => request.answeredAt - request.dueAt),
    handlerStarted,
  };
}

export function describeOutcome(outcome: Outcome): string {
  const p = (q: number): string => `${percentile(outcome.latencies, q).toFixed(1)} ms`;
  return (
    `${outcome.rate} req/s: ${outcome.requests - outcome.failed}/${outcome.requests} answered 201, ` +
    `p50 ${p(50)}, p99 ${p(99)}, ${outcome.late} notifications late`
  );
}

/** The p50 of each stage, counted from the request's due time. */
export function describeStages(outcome: Outcome): string {
  const p50 = (values: number[]): string => percentile(values, 50).toFixed(1);
  return `answered ${p50(outcome.answered)}, handler started ${p50(outcome.handlerStarted)}, committed ${p50(outcome.latencies)} ms`;
}

/** Waits (bounded) for every notification of the requests so far, so a service stops idle. */
export async function settle(service: BenchService, ids: readonly string[], maxMs = 20_000): Promise<void> {
  await service.completions.waitFor(ids, nowMs() + maxMs);
}
