import { type BenchRow } from '../bench-row';
import { percentile } from '../stats';
import { type BenchService, type WritePathVariant } from './bench-service';
import { describeOutcome, measure, settle, withBenchService, type BusBackend, type Outcome } from './harness';
import { undisturbed } from './machine';
import { type OpenLoopClient } from './open-loop';

/** Open-loop rates tried in turn until one fails; the list bounds the ramp (under a minute of load). */
const STEPS = [100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2400, 3200, 4800, 6400];
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 3);
/** A step keeps up when every notification committed within this long after the last request was due. */
const DRAIN_MS = 1_000;
const MAX_P99_MS = 1_000;

interface Ramp {
  /** The highest rate that kept up; 0 when even the first step did not. */
  readonly rate: number;
  readonly stoppedBy: string;
}

/**
 * The highest open-loop rate the outbox path sustains, next to the direct publish (one service after
 * the other). Rates go up step by step until a step, and its repeat, fail to keep up.
 */
export async function benchHighestRate(
  serverUrl: string,
  backend: BusBackend,
  client: OpenLoopClient,
): Promise<BenchRow> {
  const outbox = await withBenchService(serverUrl, backend, 'outbox', (service) =>
    ramp(service, client, backend, 'outbox'),
  );
  const direct = await withBenchService(serverUrl, backend, 'direct', (service) =>
    ramp(service, client, backend, 'direct'),
  );
  return {
    backend: `postgres+${backend}`,
    scenario: `highest sustained POST /users rate (all 201, notifications drained within ${DRAIN_MS} ms, p99 < ${MAX_P99_MS} ms; ${STEP_SECONDS} s steps)`,
    ours: outbox.rate,
    raw: direct.rate,
    unit: 'req/s',
    baseline: 'publish inside the transaction, no outbox',
    note: `outbox stopped by ${outbox.stoppedBy}; direct by ${direct.stoppedBy}`,
  };
}

async function ramp(
  service: BenchService,
  client: OpenLoopClient,
  backend: BusBackend,
  variant: WritePathVariant,
): Promise<Ramp> {
  const warmUp = await measure(service, client, STEPS[0]!, 2, 30_000);
  await settle(service, warmUp.userIds);
  const label = `write-path ${backend} ${variant} ramp`;
  let best = 0;
  for (const rate of STEPS) {
    // A step must fail twice: one burst of other work on a shared machine should not end the ramp.
    const failure = (await step(service, client, rate, label)) && (await step(service, client, rate, label));
    if (failure) return { rate: best, stoppedBy: `${rate} req/s (${failure})` };
    best = rate;
  }
  return { rate: best, stoppedBy: 'the last step' };
}

/** Runs one step; resolves with why it did not keep up, or undefined when it did. */
async function step(
  service: BenchService,
  client: OpenLoopClient,
  rate: number,
  label: string,
): Promise<string | undefined> {
  const outcome = await undisturbed(`the ${rate} req/s step`, async () => {
    const outcome = await measure(service, client, rate, STEP_SECONDS, DRAIN_MS);
    console.log(`${label}: ${describeOutcome(outcome)}`);
    // Lets the backlog of a failed step drain, so the next step (or the stop) starts idle.
    await settle(service, outcome.userIds);
    return outcome;
  });
  return verdict(outcome);
}

/** Why the step did not keep up, or undefined when it did. */
function verdict(outcome: Outcome): string | undefined {
  if (outcome.failed > 0) return `${outcome.failed} requests not answered 201`;
  if (outcome.late > 0) return `${outcome.late} notifications later than ${DRAIN_MS} ms`;
  const p99 = percentile(outcome.latencies, 99);
  if (p99 >= MAX_P99_MS) return `p99 ${Math.round(p99)} ms`;
  return undefined;
}
