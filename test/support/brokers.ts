/**
 * Where broker (and database server) tests find real servers, in this order: `KAFKA_BROKERS` /
 * `NATS_URL` / `POSTGRES_URL` from the environment, then a container runtime through testcontainers, else the suite is skipped with a
 * loud message. Under `CI=true` a missing broker fails the run: CI must never skip a broker test.
 */
export type BrokerKind = 'kafka' | 'nats' | 'postgres';

const ENV_NAME: Record<BrokerKind, string> = {
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
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
  describe.skip(name, () => body(() => []));
}
