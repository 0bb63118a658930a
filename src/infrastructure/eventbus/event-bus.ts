/**
 * The event bus port: what every backend (memory, Kafka, NATS JetStream) implements and what the
 * contract test suite proves. It mirrors the seed's Go `EventBus` with options objects and
 * `AbortSignal` in place of a leading `context.Context`.
 */
/**
 * A payload given to `publish` belongs to the bus from then on: do not modify it afterwards (the
 * memory backend hands the same bytes to its handlers instead of copying them).
 */
export type MessagePayload = Uint8Array | string;

export type MessageHeaders = Record<string, string>;

export interface PublishOptions {
  /** Ordering key: messages with the same key are handled in publish order (Kafka partition key). */
  key?: string;
  headers?: MessageHeaders;
  /** Stable id for de-duplication and tracing; generated when absent. */
  messageId?: string;
  signal?: AbortSignal;
}

export interface SubscribeOptions {
  /** Consumer group; defaults to the backend's configured group (Kafka groupId, NATS durableName). */
  group?: string;
  /** Maximum handlers in flight for this subscription (different keys run concurrently). */
  concurrency?: number;
  /** Where a new group starts reading; defaults to the backend's configuration. */
  startFrom?: 'earliest' | 'latest';
}

export interface MessageContext {
  readonly topic: string;
  readonly group: string;
  readonly key: string | undefined;
  readonly headers: Readonly<MessageHeaders>;
  readonly messageId: string;
  /** 1 on the first delivery, incremented on every retry. */
  readonly attempt: number;
  /** Aborted when the bus is closing or the handler exceeded its time budget. */
  readonly signal: AbortSignal;
}

/** Resolving acknowledges the message; throwing (or rejecting) asks for a retry. */
export type MessageHandler = (message: Uint8Array, context: MessageContext) => Promise<void>;

export interface Subscription {
  readonly topic: string;
  readonly group: string;
  /** Stops delivering new messages and waits for this subscription's in-flight handlers. */
  unsubscribe(): Promise<void>;
}

export interface HealthCheckOptions {
  signal?: AbortSignal;
  /** Milliseconds before the check fails as timed out. */
  timeout?: number;
}

export type ReconnectCallback = (options: { signal: AbortSignal }) => Promise<void> | void;

export interface EventBus {
  /** The backend name, used as the `bus` metric label. */
  readonly kind: 'memory' | 'kafka' | 'nats';
  /** Resolves once the backend durably accepted the message. */
  publish(topic: string, message: MessagePayload, options?: PublishOptions): Promise<void>;
  subscribe(topic: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Rejects with the reason when the bus cannot currently publish or consume. */
  healthCheck(options?: HealthCheckOptions): Promise<void>;
  /**
   * Why the bus can no longer recover by itself (its client gave up for good), or undefined while it
   * can. Outages, however long, are not such a reason: every backend reconnects until the broker is
   * back. Liveness probes use it, so only a process that needs a restart gets one.
   */
  unrecoverableReason(): string | undefined;
  /** Stops publishing, flushes pending publishes, lets in-flight handlers finish, disconnects. Idempotent. */
  close(): Promise<void>;
  /** Runs `callback` after every successful reconnect. */
  registerReconnectCallback(callback: ReconnectCallback): void;
}
