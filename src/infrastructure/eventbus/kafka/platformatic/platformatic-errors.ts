/** What @platformatic/kafka's errors carry: a code, and `findBy` that searches their causes. */
interface PlatformaticError {
  findBy?(property: string, value: unknown): unknown;
}

/** The client's code for a lost or refused connection (its timeouts carry it too). */
const NETWORK = 'PLT_KFK_NETWORK';

/** True when an error means the broker is unreachable, looking through retries and wrapped causes. */
export function isPlatformaticConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  return (error as PlatformaticError).findBy?.('code', NETWORK) != null;
}

/** True when the broker says the group changed under the request (the consumer must rejoin). */
export function needsRejoin(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  return (error as PlatformaticError).findBy?.('needsRejoin', true) != null;
}

/** True when the broker answered that the topic exists already. */
export function isTopicAlreadyExists(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  return (error as PlatformaticError).findBy?.('apiId', 'TOPIC_ALREADY_EXISTS') != null;
}

/**
 * True when metadata for a topic just created is not there yet: the client reports an unknown topic
 * as a user error of its own, a partition without a leader with the broker's code.
 */
export function isTopicNotReady(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'PLT_KFK_USER' && typeof message === 'string' && message.startsWith('Unknown topic'))
    return true;
  return (error as PlatformaticError).findBy?.('apiId', 'LEADER_NOT_AVAILABLE') != null;
}
