import {
  type EventBus,
  type HealthCheckOptions,
  type MessageHandler,
  type MessagePayload,
  type PublishOptions,
  type ReconnectCallback,
  type SubscribeOptions,
  type Subscription,
} from '../event-bus';
import { type BusTracing } from './bus-tracing';

/**
 * Adds producer spans to any backend's publish. Consumer spans come from the delivery pipeline
 * every backend shares, which also sees retries and dead-lettering.
 */
export class TracingEventBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly tracing: BusTracing,
  ) {}

  get kind(): EventBus['kind'] {
    return this.inner.kind;
  }

  publish(topic: string, message: MessagePayload, options: PublishOptions = {}): Promise<void> {
    return this.tracing.publish(topic, options, (traced) => this.inner.publish(topic, message, traced));
  }

  subscribe(topic: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe(topic, handler, options);
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
