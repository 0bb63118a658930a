import {
  createInbox,
  errors as natsErrors,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { type ApiError, JetStreamApiError } from '@nats-io/jetstream';
import { SequenceSlots } from '../delivery/sequence-slots';
import { PublishAbortedError } from '../errors';
import { EncodedHeaderBlock } from './nats-message-codec';

const decoder = new TextDecoder();
/** How a successful PubAck starts; an error answer starts with `{"error"`. */
const PUB_ACK_START = new TextEncoder().encode('{"stream":');
/** How often expired PubAck waits are failed; attempt timeouts are 500 ms or more. */
const SWEEP_INTERVAL = 50;

/** Told once how a publish ended: without an error when its PubAck arrived. */
export type PubAckCallback = (error?: Error) => void;

/** A publish waiting for its turn to go out, then for its PubAck. */
interface AwaitedPubAck {
  /** Its number: the last token of its reply subject. */
  readonly sequence: number;
  readonly subject: string;
  readonly payload: Uint8Array;
  /** The encoded header block. */
  readonly headers: Uint8Array;
  readonly expiresAt: number;
  readonly signal: AbortSignal | undefined;
  readonly done: PubAckCallback;
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
  /** Publishes waiting, by sequence; not a Map, for the reason SequenceSlots gives. */
  private readonly awaited = new SequenceSlots<AwaitedPubAck>();
  /**
   * Signals listened to. Publishes that share one (the outbox relay gives its whole batch one
   * deadline) share one 'abort' listener instead of adding one each.
   */
  private readonly watched = new WeakSet<AbortSignal>();
  private readonly subscription: Subscription;
  private sequence = 0;
  private outgoing: AwaitedPubAck[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  /** Hands each publish's header bytes to nats.js, which reads them within `publish()`. */
  private readonly headerBlock = new EncodedHeaderBlock();

  constructor(private readonly connection: NatsConnection) {
    this.subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, reply) => (error ? this.failAll(error) : this.settle(reply)),
    });
  }

  /**
   * Publishes and resolves on the PubAck; rejects with nats.js's TimeoutError after `timeout` ms, or
   * with a PublishAbortedError once `signal` aborts.
   */
  publish(
    subject: string,
    payload: Uint8Array,
    headers: Uint8Array,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.send(subject, payload, headers, timeout, signal, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Publishes and calls `done` once: on the PubAck, or with the error (nats.js's TimeoutError after
   * `timeout` ms, a PublishAbortedError once `signal` aborts). Without a promise of its own, for
   * callers that settle their own. An aborted publish that has not gone out yet does not go out; one
   * that has may still be stored.
   */
  send(
    subject: string,
    payload: Uint8Array,
    headers: Uint8Array,
    timeout: number,
    signal: AbortSignal | undefined,
    done: PubAckCallback,
  ): void {
    if (signal?.aborted) {
      done(new PublishAbortedError(subject));
      return;
    }
    const sequence = ++this.sequence;
    const expiresAt = performance.now() + timeout;
    const awaited: AwaitedPubAck = { sequence, subject, payload, headers, expiresAt, signal, done };
    this.awaited.add(awaited);
    if (signal !== undefined && !this.watched.has(signal)) this.watch(signal);
    if (this.outgoing.push(awaited) === 1) process.nextTick(this.sendOutgoing);
    this.sweeper ??= this.startSweeper();
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
      // Failed or aborted meanwhile: it must not go out any more.
      if (this.awaited.get(publish.sequence) !== publish) continue;
      try {
        this.connection.publish(publish.subject, publish.payload, {
          reply: this.prefix + publish.sequence,
          headers: this.headerBlock.carrying(publish.headers),
        });
      } catch (error) {
        this.awaited.take(publish.sequence);
        publish.done(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

  /** Fails whatever still waits (the connection is closing) and stops listening. */
  close(): void {
    this.failAll(new natsErrors.RequestError('connection closed'));
    this.subscription.unsubscribe();
  }

  private settle(reply: Msg): void {
    const awaited = this.awaited.take(sequenceOf(reply.subject, this.prefix.length));
    // Answered after its timeout or abort: a re-sent publish (same message id) was de-duplicated.
    if (awaited === undefined) return;
    awaited.done(answerError(reply, awaited.subject));
  }

  private failAll(error: Error): void {
    for (const awaited of this.awaited.takeAll()) awaited.done(error);
  }

  /**
   * One listener per signal, never removed: a relay batch's deadline fires even after its publishes
   * are done. It then scans the waiting publishes, which costs less than keeping a set of them per
   * signal on every publish.
   */
  private watch(signal: AbortSignal): void {
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        for (const awaited of this.awaited.takeAll((waiting) => waiting.signal === signal))
          awaited.done(new PublishAbortedError(awaited.subject));
      },
      { once: true },
    );
  }

  private startSweeper(): NodeJS.Timeout {
    const sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL);
    sweeper.unref();
    return sweeper;
  }

  private sweep(): void {
    const now = performance.now();
    for (const awaited of this.awaited.takeAll((waiting) => waiting.expiresAt <= now))
      awaited.done(new natsErrors.TimeoutError());
    if (this.awaited.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

/** The decimal number that ends a reply subject after `from`, or -1 when there is none. */
function sequenceOf(subject: string, from: number): number {
  if (from >= subject.length) return -1;
  let sequence = 0;
  for (let index = from; index < subject.length; index++) {
    const digit = subject.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    sequence = sequence * 10 + digit;
  }
  return sequence;
}

/** What is wrong with an answer to a publish, or nothing when it is a PubAck. */
function answerError(reply: Msg, subject: string): Error | undefined {
  if (reply.data.length === 0 && reply.headers?.code === 503)
    return new natsErrors.NoRespondersError(subject);
  if (isPubAck(reply.data)) return undefined;
  try {
    parsePubAck(reply);
    return undefined;
  } catch (error) {
    return error as Error;
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
