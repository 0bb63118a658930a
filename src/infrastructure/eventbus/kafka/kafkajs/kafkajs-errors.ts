const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);

/**
 * True when an error means the broker is unreachable (rather than that it rejected a request),
 * looking through kafkajs's wrapping.
 */
export function isConnectionError(error: unknown): boolean {
  return anyCause(error, ({ name }) => name !== undefined && CONNECTION_ERRORS.has(name));
}

/** kafkajs marks group membership changes with these protocol error types. */
export function isRebalanceError(error: unknown): boolean {
  const type = (error as { type?: string } | null)?.type;
  return (
    type === 'REBALANCE_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'ILLEGAL_GENERATION' ||
    type === 'UNKNOWN_MEMBER_ID'
  );
}

/** kafkajs's own rule for a crash it would restart after: the root cause says it is retriable. */
export function isRetriableError(error: unknown): boolean {
  let current = error as
    { name?: string; retriable?: boolean; cause?: unknown; originalError?: unknown } | undefined;
  if (current?.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  for (let depth = 0; current && depth < 5; depth++) {
    const next = (current.cause ?? current.originalError) as typeof current;
    if (!next) break;
    current = next;
  }
  return current?.retriable === true;
}

/**
 * True when metadata for a topic just created is not there yet, also after kafkajs's retries of a
 * missing leader ran out.
 */
export function isTopicNotReady(error: unknown): boolean {
  return anyCause(
    error,
    ({ type }) => type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE',
  );
}

interface KafkajsErrorShape {
  name?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
}

/** Tests the error and what it wraps (`cause`, `originalError`), a few levels deep. */
function anyCause(error: unknown, test: (error: KafkajsErrorShape) => boolean): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const shape = current as KafkajsErrorShape;
    if (test(shape)) return true;
    current = shape.cause ?? shape.originalError;
  }
  return false;
}
