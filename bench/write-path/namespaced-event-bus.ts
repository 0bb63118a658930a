import type {
  EventBus,
  HealthCheckOptions,
  MessageHandler,
  MessagePayload,
  PublishOptions,
  ReconnectCallback,
  SubscribeOptions,
  Subscription,
} from '../../src/infrastructure/eventbus';

/**
 * The bus with every topic and group under `prefix`, so a bench service on a shared broker neither
 * reads another run's backlog nor joins someone else's consumer group. A topic already under the
 * prefix (a dead letter derived from a delivered message's topic) passes through unchanged.
 */
export class NamespacedEventBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    readonly prefix: string,
  ) {}

  get kind(): EventBus['kind'] {
    return this.inner.kind;
  }

  topic(name: string): string {
    return name.startsWith(this.prefix) ? name : `${this.prefix}${name}`;
  }

  publish(topic: string, message: MessagePayload, options?: PublishOptions): Promise<void> {
    return this.inner.publish(this.topic(topic), message, options);
  }

  subscribe(topic: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const group = options.group === undefined ? undefined : this.topic(options.group);
    return this.inner.subscribe(this.topic(topic), handler, { ...options, group });
  }

  healthCheck(options?: HealthCheckOptions): Promise<void> {
    return this.inner.healthCheck(options);
  }

  unrecoverableReason(): string | undefined {
    return this.inner.unrecoverableReason();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  registerReconnectCallback(callback: ReconnectCallback): void {
    this.inner.registerReconnectCallback(callback);
  }
}
