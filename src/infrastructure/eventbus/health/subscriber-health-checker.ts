import { HealthCheckTopic, HealthInstanceHeader } from '../constants';
import { describeError } from '../describe-error';
import { type EventBus, type MessageContext, type Subscription } from '../event-bus';
import { type HealthStatus } from './health-status';

export interface SubscriberHealthCheckerOptions {
  /** Must equal the publisher checker's id: only this instance's own health messages count. */
  readonly instanceId: string;
  /** Milliseconds without an own health message after which the subscriber is unhealthy. */
  readonly maxMessageAge: number;
  /** Milliseconds the bus health check may take. */
  readonly timeout: number;
  readonly topic?: string;
}

/**
 * The seed's subscriber-side checker. It subscribes in a group of its own (one per instance), so
 * with several instances on one broker each one receives the health messages instead of losing
 * them to a sibling, and it counts only the messages its own instance published.
 */
export class SubscriberHealthChecker {
  private subscription: Subscription | undefined;
  private lastOwnMessageAt = Date.now();
  private lastError: string | undefined;
  private consecutiveFailures = 0;
  private readonly topic: string;

  constructor(
    private readonly bus: EventBus,
    private readonly options: SubscriberHealthCheckerOptions,
  ) {
    this.topic = options.topic ?? HealthCheckTopic;
  }

  get group(): string {
    return `health-check-${this.options.instanceId}`;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    // The grace period starts now, as in the seed, so a fresh instance is not unhealthy at once.
    this.lastOwnMessageAt = Date.now();
    this.subscription = await this.bus.subscribe(this.topic, (_message, context) => this.onMessage(context), {
      group: this.group,
      startFrom: 'latest',
      concurrency: 1,
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe();
  }

  /** Rejects naming the reason when the bus is down or no own health message arrived in time. */
  async check(): Promise<void> {
    try {
      if (!this.subscription) throw new Error('subscriber health checker is not running');
      await this.bus.healthCheck({
        signal: AbortSignal.timeout(this.options.timeout),
        timeout: this.options.timeout,
      });
      const age = Date.now() - this.lastOwnMessageAt;
      if (age > this.options.maxMessageAge) {
        throw new Error(`no health check message received in the last ${this.options.maxMessageAge} ms`);
      }
      this.lastError = undefined;
      this.consecutiveFailures = 0;
    } catch (error) {
      this.lastError = describeError(error);
      this.consecutiveFailures++;
      throw error;
    }
  }

  status(): HealthStatus {
    return {
      healthy:
        this.subscription !== undefined &&
        this.lastError === undefined &&
        Date.now() - this.lastOwnMessageAt <= this.options.maxMessageAge,
      lastSuccessAt: new Date(this.lastOwnMessageAt),
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  private onMessage(context: MessageContext): Promise<void> {
    if (context.headers[HealthInstanceHeader] === this.options.instanceId) this.lastOwnMessageAt = Date.now();
    return Promise.resolve();
  }
}
