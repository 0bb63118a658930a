import { appendFileSync } from 'node:fs';

/**
 * Where broker (and database server) tests find real servers, in this order: `KAFKA_BROKERS` /
 * `NATS_URL` / `POSTGRES_URL` from the environment, then the local addresses `npm run brokers:up`
 * serves when they answer, then a container runtime through testcontainers (global-setup.ts sets
 * the variables for both). Else the suite is skipped, and the run ends with one list of what was
 * skipped and how to run it. Under `CI=true` a missing broker fails the run instead.
 */
export type BrokerKind = 'kafka' | 'nats' | 'postgres';

export const ENV_NAME: Record<BrokerKind, string> = {
  kafka: 'KAFKA_BROKERS',
  nats: 'NATS_URL',
  postgres: 'POSTGRES_URL',
};

const HOW_TO_START: Record<BrokerKind, string> = {
  kafka: 'start a broker (npm run brokers:up)',
  nats: 'start a broker (npm run brokers:up)',
  postgres: 'point it at a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres,',
};

export function brokerFromEnv(kind: BrokerKind): string[] | undefined {
  const value = process.env[ENV_NAME[kind]]?.trim();
  if (!value) return undefined;
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** For `describe`: runs the suite when a broker is configured, else skips it (never under CI). */
export function describeWithBroker(
  kind: BrokerKind,
  name: string,
  body: (addresses: () => string[]) => void,
): void {
  const fromEnv = brokerFromEnv(kind);
  if (fromEnv) {
    describe(name, () => body(() => fromEnv));
    return;
  }
  const message = `${ENV_NAME[kind]} is not set: ${HOW_TO_START[kind]} and export it to run "${name}"`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${ENV_NAME[kind]}`, () => {
        throw new Error(`${message}. Under CI=true a broker test must run, not skip.`);
      });
    });
    return;
  }
  recordSkip(`${ENV_NAME[kind]}: ${name}`);
  describe.skip(name, () => body(() => []));
}

/** Set by global-setup.ts: the file where skipped suites are listed for global-teardown.ts. */
export const SKIP_LOG_VARIABLE = 'EVENTBUS_TEST_SKIP_LOG';

function recordSkip(line: string): void {
  const log = process.env[SKIP_LOG_VARIABLE];
  if (log) appendFileSync(log, `${line}\n`);
  else console.warn(`*** SKIPPED for want of a broker: ${line} (npm run brokers:up runs it) ***`);
}
