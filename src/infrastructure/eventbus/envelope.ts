import { EnvelopeHeader } from './constants';
import { type MessageHeaders } from './event-bus';

let lastMillis = -1;
let lastIso = '';

/** ISO time, formatted once per millisecond: the publish hot path calls it for every message. */
function nowIso(): string {
  const millis = Date.now();
  if (millis !== lastMillis) {
    lastMillis = millis;
    lastIso = new Date(millis).toISOString();
  }
  return lastIso;
}

/** The user's headers plus the bus envelope (id and time; type, trace and tenant when the caller set them). */
export function withEnvelope(headers: MessageHeaders | undefined, messageId: string): MessageHeaders {
  return { ...headers, [EnvelopeHeader.id]: messageId, [EnvelopeHeader.time]: nowIso() };
}
