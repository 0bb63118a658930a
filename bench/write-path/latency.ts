import { type BenchRow } from '../bench-row';
import { median, percentile } from '../stats';
import { type BenchService } from './bench-service';
import { describeOutcome, describeStages, measure, withBenchService, type BusBackend } from './harness';
import { undisturbed } from './machine';
import { type OpenLoopClient } from './open-loop';

const RATE = 200;
const SECONDS = 5;
const WARM_UP_SECONDS = 2;
const ROUNDS = 3;
/** Generous: this scenario waits for every notification; lateness is the max-rate scenario's business. */
const DRAIN_MS = 30_000;

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  /** p50 of each stage, for the log. */
  readonly stages: string;
}

/**
 * POST /users -> welcome notification committed, at a fixed RATE, through the outbox and through
 * the direct publish, both services up side by side and measured in alternating rounds; the medians
 * of the rounds' p50 and p99 are reported.
 */
export async function benchLatency(
  serverUrl: string,
  backend: BusBackend,
  client: OpenLoopClient,
): Promise<BenchRow[]> {
  return withBenchService(serverUrl, backend, 'outbox', (outbox) =>
    withBenchService(serverUrl, backend, 'direct', async (direct) => {
      // JIT, pools, broker connections and (Kafka) the group join, before anything counts.
      await round(outbox, client, WARM_UP_SECONDS);
      await round(direct, client, WARM_UP_SECONDS);
      const rounds = { outbox: [] as Percentiles[], direct: [] as Percentiles[] };
      for (let index = 0; index < ROUNDS; index++) {
        const directFirst = index % 2 === 0;
        if (directFirst) rounds.direct.push(await round(direct, client, SECONDS));
        rounds.outbox.push(await round(outbox, client, SECONDS));
        if (!directFirst) rounds.direct.push(await round(direct, client, SECONDS));
        log(backend, rounds.outbox.at(-1)!, rounds.direct.at(-1)!);
      }
      return rows(backend, medianOf(rounds.outbox), medianOf(rounds.direct));
    }),
  );
}

async function round(service: BenchService, client: OpenLoopClient, seconds: number): Promise<Percentiles> {
  const outcome = await undisturbed('a latency round', () =>
    measure(service, client, RATE, seconds, DRAIN_MS),
  );
  if (outcome.failed > 0 || outcome.late > 0)
    throw new Error(`latency round failed: ${describeOutcome(outcome)}`);
  return {
    p50: percentile(outcome.latencies, 50),
    p99: percentile(outcome.latencies, 99),
    stages: describeStages(outcome),
  };
}

function medianOf(rounds: Percentiles[]): Percentiles {
  return { p50: median(rounds.map((r) => r.p50)), p99: median(rounds.map((r) => r.p99)), stages: '' };
}

function log(backend: BusBackend, outbox: Percentiles, direct: Percentiles): void {
  const show = ({ p50, p99, stages }: Percentiles): string =>
    `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (p50 from due: ${stages})`;
  console.log(`write-path ${backend} latency round: outbox ${show(outbox)}`);
  console.log(`write-path ${backend} latency round: direct ${show(direct)}`);
}

function rows(backend: BusBackend, outbox: Percentiles, direct: Percentiles): BenchRow[] {
  const scenario = (p: string): string =>
    `POST /users -> welcome notification committed, ${p} at ${RATE} req/s (lower is better)`;
  const row = (p: 'p50' | 'p99', note: string): BenchRow => ({
    backend: `postgres+${backend}`,
    scenario: scenario(p),
    ours: outbox[p],
    raw: direct[p],
    unit: 'ms',
    baseline: 'publish inside the transaction, no outbox',
    note,
  });
  const added = (p: 'p50' | 'p99'): string => `${signed(outbox[p] - direct[p])} ms through the outbox`;
  return [row('p50', `${added('p50')}; target <= +10 ms`), row('p99', added('p99'))];
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}
