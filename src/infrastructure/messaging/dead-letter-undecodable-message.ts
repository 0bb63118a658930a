import { DeadLetterHeader, type EventBus, type MessageContext } from '../eventbus';

const MAX_REASON_LENGTH = 1000;

/**
 * Sends a message that cannot be turned into an event to `<topic><suffix>`, with the same headers the
 * bus writes when it dead-letters after its retries. Decoding is deterministic, so retrying first
 * would only repeat the failure. If this publish fails it throws, so the bus retries the message
 * rather than it being acknowledged and lost.
 */
export async function deadLetterUndecodableMessage(
  bus: EventBus,
  message: Uint8Array,
  context: MessageContext,
  reason: unknown,
  deadLetterSuffix: string,
): Promise<void> {
  await bus.publish(context.topic + deadLetterSuffix, message, {
    key: context.key,
    headers: {
      ...context.headers,
      [DeadLetterHeader.originalTopic]: context.topic,
      [DeadLetterHeader.group]: context.group,
      [DeadLetterHeader.error]: describeReason(reason),
      [DeadLetterHeader.attempts]: String(context.attempt),
      [DeadLetterHeader.failedAt]: new Date().toISOString(),
    },
  });
}

/** One bounded line, e.g. `MalformedEventMessageError: message is not valid JSON`: a header is no place for a stack. */
export function describeReason(reason: unknown): string {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  return text.replace(/\s+/g, ' ').slice(0, MAX_REASON_LENGTH);
}
