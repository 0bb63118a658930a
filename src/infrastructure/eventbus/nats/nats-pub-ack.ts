import {
  createInbox,
  errors as natsErrors,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { type ApiError, JetStreamApiError, type PubAck } from '@nats-io/jetstream';
import { MessageIdHeader } from './nats-message-codec';

const decoder = new TextDecoder();
/** How often expired PubAck waits are failed; attempt timeouts are 500 ms or more. */
const SWEEP_INTERVAL = 50;

interface AwaitedAck {
  readonly subject: string;
  readonly expiresAt: number;
  resolve(ack: PubAck): void;
  reject(error: Error): void;
}

/**
 * JetStream publishes as the protocol defines them: the message goes out with `Nats-Msg-Id` and a
 * reply subject under one inbox subscription of ours, and the stream answers there with a PubAck (or
 * an API error; no stream on the subject gives "no responders"). nats.js's `request` does the same
 * exchange but builds a request object, a timer and an Error (thrown away on success) per call, a
 * quarter of the publish CPU; here one wildcard subscription and one sweeping timer serve them all.
 * The subscription is restored by nats.js after a reconnect; a PubAck lost meanwhile times out and
 * the publisher re-sends under the same message id.
 */
export class NatsPubAckInbox {
  private readonly prefix = `${createInbox()}.`;
  private readonly awaited = new Map<string, AwaitedAck>();
  private readonly subscription: Subscription;
  private sequence = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, reply) => (error ? this.failAll(error) : this.settle(reply)),
    });
  }

  /** Publishes and resolves with the PubAck; rejects with nats.js's TimeoutError after `timeout` ms. */
  publish(
    subject: string,
    payload: Uint8Array,
    headers: MsgHdrs,
    messageId: string,
    timeout: number,
  ): Promise<PubAck> {
    headers.set(MessageIdHeader, messageId);
    const token = (++this.sequence).toString(36);
    return new Promise<PubAck>((resolve, reject) => {
      try {
        this.connection.publish(subject, payload, { reply: this.prefix + token, headers });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.awaited.set(token, { subject, expiresAt: performance.now() + timeout, resolve, reject });
      this.sweeper ??= this.startSweeper();
    });
  }

  /** Fails whatever still waits (the connection is closing) and stops listening. */
  close(): void {
    this.failAll(new natsErrors.RequestError('connection closed'));
    this.subscription.unsubscribe();
  }

  private settle(reply: Msg): void {
    const token = reply.subject.slice(this.prefix.length);
    const awaited = this.awaited.get(token);
    // Answered after its timeout: the re-sent publish (same message id) was de-duplicated.
    if (awaited === undefined) return;
    this.awaited.delete(token);
    if (reply.data.length === 0 && reply.headers?.code === 503) {
      awaited.reject(new natsErrors.NoRespondersError(awaited.subject));
      return;
    }
    try {
      awaited.resolve(parsePubAck(reply));
    } catch (error) {
      awaited.reject(error as Error);
    }
  }

  private failAll(error: Error): void {
    const awaited = [...this.awaited.values()];
    this.awaited.clear();
    for (const waiting of awaited) waiting.reject(error);
  }

  private startSweeper(): NodeJS.Timeout {
    const sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL);
    sweeper.unref();
    return sweeper;
  }

  private sweep(): void {
    const now = performance.now();
    for (const [token, awaited] of this.awaited) {
      if (awaited.expiresAt > now) continue;
      this.awaited.delete(token);
      awaited.reject(new natsErrors.TimeoutError());
    }
    if (this.awaited.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

export function parsePubAck(reply: Msg): PubAck {
  const answer = JSON.parse(decoder.decode(reply.data)) as Partial<PubAck> & { error?: ApiError };
  if (answer.error) throw new JetStreamApiError(answer.error);
  if (typeof answer.stream !== 'string' || typeof answer.seq !== 'number') {
    throw new Error(`invalid PubAck: ${decoder.decode(reply.data)}`);
  }
  return { stream: answer.stream, seq: answer.seq, duplicate: answer.duplicate === true };
}
