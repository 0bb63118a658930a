import { createHash } from 'node:crypto';
import { InvalidTopicError } from '../errors';

/** Names NATS accepts as they are: what the NATS docs recommend for streams and durables. */
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_PLAIN_LENGTH = 64;
const READABLE_LENGTH = 48;
const HASH_LENGTH = 10;

/**
 * A stream or durable consumer name for `text` (a topic or a group). Stream and durable names cannot
 * contain '.', '*', '>', whitespace or path separators, so:
 *
 * - `text` made of A-Z a-z 0-9 _ - without `__`, up to 64 characters, is used as it is
 *   (`jxt-durable`, `health_check_topic`);
 * - anything else becomes its readable part (other characters replaced by `_`, at most 48) plus `__`
 *   and 10 hex digits of its SHA-256 (`users.events` -> `users_events__<hash>`).
 *
 * Deterministic, so every instance derives the same names; the two forms cannot collide because
 * only the second contains `__`, and two names of the second form differ in their hash.
 */
export function natsNameFor(text: string): string {
  if (text.length <= MAX_PLAIN_LENGTH && PLAIN_NAME.test(text) && !text.includes('__')) return text;
  const readable = text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, READABLE_LENGTH);
  const hash = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return `${readable}__${hash}`;
}

export const streamNameFor = natsNameFor;
export const consumerNameFor = natsNameFor;

/**
 * The topic is the subject. Beyond the bus-wide topic rule, a subject's dot-separated tokens must
 * not be empty (`a..b`, `.a` and `a.` are not subjects).
 */
export function assertNatsSubject(topic: string): void {
  if (topic.startsWith('.') || topic.endsWith('.') || topic.includes('..')) {
    throw new InvalidTopicError(
      `topic "${topic}" is not a valid NATS subject: it must not start or end with '.' or contain '..'`,
    );
  }
}
