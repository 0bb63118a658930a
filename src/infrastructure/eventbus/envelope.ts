import { EnvelopeHeader } from './constants';
import { type MessageHeaders } from './event-bus';

let lastMillis = -1;
let lastIso = '';

/** ISO time, formatted once per millisecond: the publish hot path calls it for every message. */
function isoTime(epochMs: number): string {
  const millis = Math.floor(epochMs);
  if (millis !== lastMillis) {
    lastMillis = millis;
    lastIso = new Date(millis).toISOString();
  }
  return lastIso;
}

/**
 * The user's headers plus the bus envelope (id and time; type, trace and tenant when the caller set
 * them). `epochMs` lets a caller that has just read the clock pass it instead of reading it again.
 */
export function withEnvelope(
  headers: MessageHeaders | undefined,
  messageId: string,
  epochMs: number = Date.now(),
): MessageHeaders {
  return { ...headers, [EnvelopeHeader.id]: messageId, [EnvelopeHeader.time]: isoTime(epochMs) };
}
