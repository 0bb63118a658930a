import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow } from './bench-row';
import { benchKafka } from './kafka.bench';
import { benchMemory } from './memory.bench';
import { benchNats } from './nats.bench';
import { benchTracing } from './tracing.bench';
import { benchWritePath } from './write-path.bench';

/** `npm run bench`: every backend next to its raw client in one run; prints ratios, saves JSON. */
async function main(): Promise<void> {
  const messages = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
  // BENCH_BACKENDS=kafka,nats runs only those (default: all of them).
  const only = (process.env.BENCH_BACKENDS ?? 'memory,tracing,nats,kafka,write-path')
    .split(',')
    .map((entry) => entry.trim());
  const rows: BenchRow[] = [];
  if (only.includes('memory')) rows.push(...(await benchMemory(messages)));
  if (only.includes('tracing')) rows.push(...(await benchTracing(Math.min(messages, 200_000))));
  if (only.includes('nats')) rows.push(...(await benchNats()));
  if (only.includes('kafka')) rows.push(...(await benchKafkaFromEnv()));
  if (only.includes('write-path')) rows.push(...(await benchWritePath()));

  printTable(rows);
  const directory = join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'latest.json');
  const measuredAt = new Date().toISOString();
  writeFileSync(file, JSON.stringify({ measuredAt, node: process.version, messages, rows }, null, 2) + '\n');
  console.log(`results written to ${file}`);
}

/**
 * One markdown table: what each row measured, its baseline and the ratio to it, and its ratio to the
 * backend's limit measured in the same run (peers, ours and limits side by side).
 */
function printTable(rows: readonly BenchRow[]): void {
  // Small values (latencies in ms) keep a decimal; rounding would hide the differences that matter.
  const format = (value: number): string =>
    Number.isNaN(value) ? 'n/a' : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  const ratio = (value: number, reference: number): string =>
    Number.isFinite(value / reference) ? `${(value / reference).toFixed(2)}x` : '-';
  console.log('| backend | scenario | measured | result | baseline | ratio | vs limit | note |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const range = row.range ? ` (${format(row.range.min)}-${format(row.range.max)})` : '';
    const baseline = row.raw === undefined ? '-' : `${format(row.raw)} ${row.unit} (${row.baseline ?? ''})`;
    const limit = row.limit ? `${ratio(row.ours, row.limit.value)} of ${row.limit.name}` : '-';
    console.log(
      `| ${row.backend} | ${row.scenario} | ${row.subject ?? 'ours'} | ${Number.isNaN(row.ours) ? 'n/a' : `${format(row.ours)} ${row.unit}${range}`} | ${baseline} | ${row.raw === undefined ? '-' : ratio(row.ours, row.raw)} | ${limit} | ${row.note ?? ''} |`,
    );
  }
}

/** The Kafka rows when KAFKA_BROKERS names a broker, else none (with a note). */
async function benchKafkaFromEnv(): Promise<BenchRow[]> {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    console.log(
      'kafka: skipped (set KAFKA_BROKERS, e.g. after npm run brokers:up, to benchmark KafkaEventBus)',
    );
    return [];
  }
  return benchKafka(brokers, Number(process.env.BENCH_KAFKA_MESSAGES ?? 50_000));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
