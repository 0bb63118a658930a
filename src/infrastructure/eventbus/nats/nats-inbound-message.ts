import { EnvelopeHeader } from '../constants';
import { type InboundMessage } from '../delivery/inbound-message';
import { type MessageHeaders } from '../event-bus';
import { KeyHeader, MessageIdHeader } from './nats-message-codec';
import { type NatsPulledMessage } from './nats-pulled-message';

/**
 * A JetStream message as the delivery pipeline sees it: the bus's own NATS headers taken out. The
 * key is read at once (the scheduler orders by it); the other headers, the id and the stored time
 * only when something asks for them (most handlers never do).
 */
class NatsInboundMessage implements InboundMessage {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  private decoded: MessageHeaders | undefined;

  constructor(private readonly message: NatsPulledMessage) {
    this.payload = message.data;
    let key: string | undefined;
    const headers = message.headers;
    if (headers) {
      const values = headers.values(KeyHeader);
      if (values.length > 0) key = decodeURIComponent(values[values.length - 1]!);
    }
    this.key = key;
  }

  get headers(): MessageHeaders {
    return (this.decoded ??= decodeHeaders(this.message));
  }

  get messageId(): string {
    return this.headers[EnvelopeHeader.id]!;
  }
}

export function toInboundMessage(message: NatsPulledMessage): InboundMessage {
  return new NatsInboundMessage(message);
}

/** The user's headers plus the envelope: its id and time as sent, else the JetStream metadata. */
function decodeHeaders(message: NatsPulledMessage): MessageHeaders {
  const headers: MessageHeaders = {};
  let natsMessageId: string | undefined;
  if (message.headers) {
    for (const [name, values] of message.headers) {
      const value = values[values.length - 1] ?? '';
      if (name === MessageIdHeader) natsMessageId = value;
      else if (name !== KeyHeader) headers[name] = value;
    }
  }
  headers[EnvelopeHeader.id] ??= natsMessageId ?? `${message.stream}:${message.seq}`;
  const time = headers[EnvelopeHeader.time] ?? storedAt(message);
  if (time !== undefined) headers[EnvelopeHeader.time] = time;
  return headers;
}

let lastMillis = -1;
let lastIso = '';

/** The time JetStream stored the message, ISO-formatted once per millisecond (consecutive messages share it). */
function storedAt(message: NatsPulledMessage): string | undefined {
  const millis = Math.floor(message.timestampNanos / 1_000_000);
  if (!Number.isFinite(millis)) return undefined;
  if (millis !== lastMillis) {
    lastMillis = millis;
    lastIso = new Date(millis).toISOString();
  }
  return lastIso;
}
