import { HealthCheckTopic, HealthInstanceHeader } from '../constants';
import { describeError } from '../describe-error';
import { type EventBus } from '../event-bus';
import { type EventBusLogger, silentLogger } from '../logger';
import { type HealthStatus } from './health-status';

export interface PublisherHealthCheckerOptions {
  /** Identifies this instance; its subscriber checker only counts messages carrying the same id. */
  readonly instanceId: string;
  /** Milliseconds between checks. */
  readonly interval: number;
  /** Milliseconds one check may take. */
  readonly timeout: number;
  readonly topic?: string;
  readonly logger?: EventBusLogger;
}

/**
 * The seed's publisher-side checker: every interval it asks the bus for its health, then publishes
 * a message on the health topic, proving the publish path end to end.
 */
export class PublisherHealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private state: HealthStatus = {
    healthy: false,
    lastSuccessAt: undefined,
    lastError: 'not checked yet',
    consecutiveFailures: 0,
  };
  private readonly topic: string;
  private readonly logger: EventBusLogger;

  constructor(
    private readonly bus: EventBus,
    private readonly options: PublisherHealthCheckerOptions,
  ) {
    this.topic = options.topic ?? HealthCheckTopic;
    this.logger = options.logger ?? silentLogger;
  }

  /** Checks at once, then every interval, until `stop()`. */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.running = this.checkNow().then(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.interval).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  status(): HealthStatus {
    return this.state;
  }

  /** One check; never rejects: the outcome is in `status()`. */
  async checkNow(): Promise<HealthStatus> {
    try {
      const signal = AbortSignal.timeout(this.options.timeout);
      await this.bus.healthCheck({ signal, timeout: this.options.timeout });
      await this.bus.publish(this.topic, `health_check_${Math.floor(Date.now() / 1000)}`, {
        headers: { [HealthInstanceHeader]: this.options.instanceId },
        signal,
      });
      this.state = { healthy: true, lastSuccessAt: new Date(), lastError: undefined, consecutiveFailures: 0 };
    } catch (error) {
      const consecutiveFailures = this.state.consecutiveFailures + 1;
      this.state = { ...this.state, healthy: false, lastError: describeError(error), consecutiveFailures };
      this.logger.warn({ err: error, consecutiveFailures }, 'publisher health check failed');
    }
    return this.state;
  }
}
