import { type BenchRow } from './bench-row';
import { availableBackends } from './write-path/harness';
import { benchLatency } from './write-path/latency';
import { benchHighestRate } from './write-path/max-rate';
import { OpenLoopClient } from './write-path/open-loop';
import { benchRelayThroughput } from './write-path/relay-throughput';

const SCENARIOS = ['latency', 'rate', 'relay'] as const;

/**
 * The reliable write path (PostgreSQL + outbox + relay + inbox) on every bus backend available:
 * memory always, nats with NATS_URL, kafka with KAFKA_BROKERS. Each service and relay runs on a
 * scratch database of the POSTGRES_URL server (dropped afterwards) and on topics of its own.
 * Baseline: the same service publishing each event to the bus inside the request's transaction.
 * Every measured round waits for an idle machine and is repeated when other programs ran meanwhile
 * (machine.ts): the cores are shared.
 * BENCH_WRITE_PATH=latency,rate,relay picks scenarios; BENCH_OUTBOX_EVENTS sizes the relay backlog.
 */
export async function benchWritePath(): Promise<BenchRow[]> {
  const serverUrl = process.env.POSTGRES_URL?.trim();
  if (!serverUrl) {
    console.log(
      'write-path: skipped (set POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres, to run the write-path rows)',
    );
    return [];
  }
  const scenarios = (process.env.BENCH_WRITE_PATH ?? SCENARIOS.join(',')).split(',').map((s) => s.trim());
  const events = Number(process.env.BENCH_OUTBOX_EVENTS ?? 20_000);
  const client = new OpenLoopClient();
  const rows: BenchRow[] = [];
  try {
    for (const backend of availableBackends()) {
      if (scenarios.includes('latency')) rows.push(...(await benchLatency(serverUrl, backend, client)));
      if (scenarios.includes('rate')) rows.push(await benchHighestRate(serverUrl, backend, client));
      if (scenarios.includes('relay')) rows.push(await benchRelayThroughput(serverUrl, backend, events));
    }
  } finally {
    await client.close();
  }
  return rows;
}
