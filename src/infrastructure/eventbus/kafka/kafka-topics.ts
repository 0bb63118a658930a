import { type KafkaTopicsConfig } from '../config/event-bus.config';
import { type KafkaDriver } from './kafka-driver';
import { KafkaTopicMissingError } from './kafka-errors';

/**
 * Makes sure a topic exists before the first publish or subscribe on it: created with the
 * configured partitions and replication when `topics.autoCreate`, else only checked. Each topic is
 * settled once per bus; a failure is forgotten so the next use tries again.
 */
export class KafkaTopics {
  private readonly ready = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly driver: KafkaDriver,
    private readonly config: KafkaTopicsConfig,
  ) {}

  /** True when the topic is known to exist: callers skip `ensure` on the hot path. */
  has(topic: string): boolean {
    return this.ready.has(topic);
  }

  /** Resolves once no topic is being created or checked (however that ended). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled(this.pending.values());
  }

  ensure(topic: string): Promise<void> {
    if (this.ready.has(topic)) return Promise.resolve();
    let pending = this.pending.get(topic);
    if (!pending) {
      pending = this.settle(topic).then(
        () => {
          this.ready.add(topic);
          this.pending.delete(topic);
        },
        (error: unknown) => {
          this.pending.delete(topic);
          throw error;
        },
      );
      this.pending.set(topic, pending);
    }
    return pending;
  }

  private async settle(topic: string): Promise<void> {
    if (this.config.autoCreate) {
      await this.driver.createTopic(topic, this.config.partitions, this.config.replicationFactor);
      return;
    }
    const existing = await this.driver.listTopics();
    if (!existing.includes(topic)) throw new KafkaTopicMissingError(topic);
  }
}
