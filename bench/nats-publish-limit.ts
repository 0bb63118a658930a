import { createInbox, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { withEnvelope } from '../src/infrastructure/eventbus/envelope';
import { nextMessageId } from '../src/infrastructure/eventbus/message-id';
import { EncodedHeaderBlock } from '../src/infrastructure/eventbus/nats/nats-message-codec';

/** PubAcks awaited at once at most: enough that the server, not the round trip, sets the pace. */
export const LIMIT_WINDOW = 4_000;

/** What each message carries: nothing, the `Nats-Msg-Id` the bus sends, or that plus the envelope as headers. */
export type LimitHeaders = 'none' | 'message id' | 'message id + envelope';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const ACK_TIMEOUT = 30_000;

/**
 * The NATS publish limit: JetStream publishing at its protocol's floor. Each message is one core
 * NATS publish to the stream's subject with a reply subject under one inbox of ours; the stream
 * answers there with a PubAck, counted without parsing unless it is an error. Up to LIMIT_WINDOW
 * PubAcks are outstanding. Messages/s from the first publish to the last PubAck.
 */
export async function natsPublishLimit(
  connection: NatsConnection,
  subject: string,
  payload: Uint8Array,
  count: number,
  carry: LimitHeaders,
): Promise<number> {
  const prefix = `${createInbox()}.`;
  let acked = 0;
  let failure: Error | undefined;
  // The publisher sleeps until `acked` reaches `wakeAt`.
  let wakeAt = Number.POSITIVE_INFINITY;
  let wake: () => void = () => undefined;
  const subscription = connection.subscribe(`${prefix}*`, {
    callback: (error, reply) => {
      // A PubAck is {"stream":...,"seq":...}; an error answer starts {"error" or has no data (503).
      if (error) failure = error;
      else if (reply.data.length === 0 || decoder.decode(reply.data.subarray(0, 9)) === '{"error":')
        failure = new Error(`publish to ${subject} failed: ${decoder.decode(reply.data) || 'no responders'}`);
      if (++acked >= wakeAt) {
        wakeAt = Number.POSITIVE_INFINITY;
        wake();
      }
    },
  });
  const ackedUpTo = (target: number): Promise<void> =>
    acked >= target
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          // PubAcks come in milliseconds; none for this long means the server is gone.
          const timer = setTimeout(
            () => reject(new Error(`${acked} of ${count} PubAcks arrived`)),
            ACK_TIMEOUT,
          );
          wakeAt = target;
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
  // The header block as text encoded once, as the bus does: nats.js's `headers()` object would add
  // microseconds of client CPU per message that no server needs.
  const headersFor = (index: number): MsgHdrs | undefined => {
    if (carry === 'none') return undefined;
    let text = `NATS/1.0\r\nNats-Msg-Id: ${subject}-${index}\r\n`;
    if (carry === 'message id + envelope') {
      for (const [name, value] of Object.entries(withEnvelope({}, nextMessageId())))
        text += `${name}: ${value}\r\n`;
    }
    return new EncodedHeaderBlock(encoder.encode(`${text}\r\n`));
  };
  try {
    const started = performance.now();
    for (let sent = 0; sent < count; sent++) {
      // A full window resumes when half of it is acknowledged: publishes go out in bursts.
      if (sent - acked >= LIMIT_WINDOW) await ackedUpTo(sent - LIMIT_WINDOW / 2);
      if (failure) throw failure;
      connection.publish(subject, payload, { reply: prefix + sent.toString(36), headers: headersFor(sent) });
    }
    await ackedUpTo(count);
    if (failure) throw failure;
    return count / ((performance.now() - started) / 1000);
  } finally {
    subscription.unsubscribe();
  }
}
