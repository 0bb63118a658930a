import { type KafkaSettings } from './kafka-config-mapping';
import { type KafkaSubscriber, type KafkaSubscriberOptions } from './kafka-driver';

export interface RejoiningConsumerOptions extends KafkaSubscriberOptions {
  readonly settings: KafkaSettings;
}

/**
 * What every client's subscription consumer does the same way: start (retrying a failed join for
 * one session), crash and rejoin one at a time, and say how long a rejoin has taken. A client's
 * consumer supplies the join itself, how to drop a crashed consumer, and which errors mean what.
 */
export abstract class RejoiningConsumer implements KafkaSubscriber {
  protected stopping = false;
  protected crashed = false;
  private restarting: Promise<void> | undefined;
  /** When the rejoin after the last crash began; cleared once consuming or when the broker is lost. */
  private rejoiningSince: number | undefined;

  constructor(private readonly subscription: RejoiningConsumerOptions) {}

  get topic(): string {
    return this.subscription.topic;
  }

  get group(): string {
    return this.subscription.group;
  }

  /** False after a crash until `restart()` succeeded. */
  get running(): boolean {
    return !this.crashed;
  }

  /**
   * How long a restart has been rejoining the group, or undefined when none is. Kept across failed
   * restarts (only a lost broker resets it), so a consumer that cannot rejoin shows as such.
   */
  get rejoiningFor(): number | undefined {
    if (!this.restarting || this.rejoiningSince === undefined) return undefined;
    return Date.now() - this.rejoiningSince;
  }

  /** The longest one join may take: a dead member's session, then the others' rebalance timeout. */
  get joinLimit(): number {
    const { sessionTimeout, maxProcessingTime } = this.subscription.settings.kafka.consumer;
    return sessionTimeout + maxProcessingTime;
  }

  /**
   * Resolves once the consumer joined its group and knows where to start (so `latest` starts from
   * now). A retriable failure (e.g. the group coordinator still loading on a fresh broker) is
   * retried with backoff for up to one session timeout.
   */
  async start(): Promise<void> {
    const giveUpAt = Date.now() + this.subscription.settings.kafka.consumer.sessionTimeout;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        if (this.stopping || !this.isRetriableStartFailure(error) || Date.now() >= giveUpAt) throw error;
        this.subscription.logger.warn(
          { err: error, topic: this.topic, group: this.group },
          'kafka consumer start failed, retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
        // Stopped during the pause: no new consumer may join after the stop returned.
        if (this.stopping) throw error;
      }
    }
  }

  /** After a crash or a broker restart: a fresh consumer in the same group, from the committed offsets. One at a time. */
  restart(): Promise<void> {
    this.restarting ??= this.restartOnce().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  abstract stop(timeout: number): Promise<void>;

  /** One join: the consumer created, in its group, positioned. */
  protected abstract startOnce(): Promise<void>;

  /** Drops the crashed consumer and the work it had not started, before the rejoin. */
  protected abstract leaveForRejoin(): Promise<void>;

  protected abstract isRetriableStartFailure(error: unknown): boolean;

  protected abstract isConnectionError(error: unknown): boolean;

  private async restartOnce(): Promise<void> {
    const since = (this.rejoiningSince ??= Date.now());
    const { logger } = this.subscription;
    logger.info({ topic: this.topic, group: this.group }, 'kafka consumer rejoining its group');
    try {
      await this.leaveForRejoin();
      if (this.stopping) return;
      await this.start();
    } catch (error) {
      // A lost broker gives the next rejoin a fresh allowance; any other failure does not.
      if (this.isConnectionError(error)) this.rejoiningSince = undefined;
      throw error;
    }
    this.rejoiningSince = undefined;
    logger.info(
      { topic: this.topic, group: this.group, durationMs: Date.now() - since },
      'kafka consumer rejoined its group',
    );
  }
}
