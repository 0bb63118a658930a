import { type MessageHeaders } from '../event-bus';

/** A message as a backend received it, before the delivery pipeline hands it to a handler. */
export interface InboundMessage {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: MessageHeaders;
  readonly messageId: string;
  /** Where the broker keeps it, when it has such a place (Kafka). */
  readonly position?: { readonly partition: number; readonly offset: string };
}

/**
 * handled: the handler resolved; ack/commit it.
 * dead-lettered: every attempt failed and the message is on the dead-letter topic; ack/commit it.
 * discarded: every attempt failed and dead-lettering is disabled; ack/commit it (logged).
 * abandoned: the subscription is stopping; do NOT ack, so a persistent backend redelivers it.
 */
export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'discarded' | 'abandoned';
