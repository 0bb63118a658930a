import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SKIP_LOG_VARIABLE } from './brokers';

/** Jest globalTeardown: stops the containers global-setup.ts started, then says what was skipped. */
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.eventBusTestContainers ?? [];
  globalThis.eventBusTestContainers = undefined;
  await Promise.all(started.map((container) => container.stop()));
  reportSkips();
}

function reportSkips(): void {
  const log = process.env[SKIP_LOG_VARIABLE];
  if (!log || !existsSync(log)) return;
  const skipped = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
  rmSync(dirname(log), { recursive: true, force: true });
  if (skipped.length === 0) return;
  console.warn(
    [
      '',
      `Skipped ${skipped.length} suite(s) for want of a server (variable: suite):`,
      ...skipped.map((line) => `  ${line}`),
      'Run them: `npm run brokers:up` (Kafka on 127.0.0.1:9092, NATS on 127.0.0.1:4222, PostgreSQL on',
      '127.0.0.1:5432), then run the tests again.',
      '',
    ].join('\n'),
  );
}
