import {
  createInbox,
  errors as natsErrors,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { type ApiError, JetStreamApiError } from '@nats-io/jetstream';

const decoder = new TextDecoder();
/** How a successful PubAck starts; an error answer starts with `{"error"`. */
const PUB_ACK_START = new TextEncoder().encode('{"stream":');
/** How often expired PubAck waits are failed; attempt timeouts are 500 ms or more. */
const SWEEP_INTERVAL = 50;

interface AwaitedAck {
  readonly subject: string;
  readonly expiresAt: number;
  resolve(): void;
  reject(error: Error): void;
}

/** A publish waiting for its turn to go out, then for its PubAck: one object for both. */
interface OutgoingPublish extends AwaitedAck {
  readonly token: string;
  readonly payload: Uint8Array;
  readonly headers: MsgHdrs;
}

/**
 * JetStream publishes as the protocol defines them: the message goes out (with its `Nats-Msg-Id`
 * header) and a reply subject under one inbox subscription of ours, and the stream answers there with
 * a PubAck (or an API error; no stream on the subject gives "no responders"). A PubAck is only
 * checked to be one: its JSON is parsed only when it is an error. nats.js's `request` does the same
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
  private outgoing: OutgoingPublish[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, reply) => (error ? this.failAll(error) : this.settle(reply)),
    });
  }

  /** Publishes and resolves on the PubAck; rejects with nats.js's TimeoutError after `timeout` ms. */
  publish(subject: string, payload: Uint8Array, headers: MsgHdrs, timeout: number): Promise<void> {
    const token = (++this.sequence).toString(36);
    return new Promise<void>((resolve, reject) => {
      const expiresAt = performance.now() + timeout;
      const publish = { token, subject, payload, headers, expiresAt, resolve, reject };
      this.awaited.set(token, publish);
      this.outgoing.push(publish);
      if (this.outgoing.length === 1) process.nextTick(this.sendOutgoing);
      this.sweeper ??= this.startSweeper();
    });
  }

  /**
   * Hands the publishes of this turn to nats.js together, so they leave in one socket write: nats.js
   * flushes in a microtask after the first publish, and publishes made from promise continuations
   * (each caller awaiting its previous PubAck) would otherwise go out a few per write.
   */
  private readonly sendOutgoing = (): void => {
    const batch = this.outgoing;
    this.outgoing = [];
    for (const publish of batch) {
      const { token } = publish;
      // Failed meanwhile (the inbox closed): it must not go out any more.
      if (this.awaited.get(token) !== publish) continue;
      try {
        this.connection.publish(publish.subject, publish.payload, {
          reply: this.prefix + token,
          headers: publish.headers,
        });
      } catch (error) {
        this.awaited.delete(token);
        publish.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

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
    if (isPubAck(reply.data)) {
      awaited.resolve();
      return;
    }
    try {
      parsePubAck(reply);
      awaited.resolve();
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

function isPubAck(data: Uint8Array): boolean {
  if (data.length < PUB_ACK_START.length) return false;
  for (let index = 0; index < PUB_ACK_START.length; index++) {
    if (data[index] !== PUB_ACK_START[index]) return false;
  }
  return true;
}

/** An answer that is not plainly a PubAck: the API error it carries, or what is wrong with it. */
function parsePubAck(reply: Msg): void {
  const answer = JSON.parse(decoder.decode(reply.data)) as {
    error?: ApiError;
    stream?: unknown;
    seq?: unknown;
  };
  if (answer.error) throw new JetStreamApiError(answer.error);
  if (typeof answer.stream !== 'string' || typeof answer.seq !== 'number') {
    throw new Error(`invalid PubAck: ${decoder.decode(reply.data)}`);
  }
}
