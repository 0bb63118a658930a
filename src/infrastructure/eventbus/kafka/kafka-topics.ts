import { type Admin, type Kafka } from 'kafkajs';
import { type KafkaTopicsConfig } from '../config/event-bus.config';
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
    private readonly admin: Admin,
    private readonly config: KafkaTopicsConfig,
  ) {}

  static async connect(kafka: Kafka, config: KafkaTopicsConfig): Promise<KafkaTopics> {
    const admin = kafka.admin();
    await admin.connect();
    return new KafkaTopics(admin, config);
  }

  /** True when the topic is known to exist: callers skip `ensure` on the hot path. */
  has(topic: string): boolean {
    return this.ready.has(topic);
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

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  private async settle(topic: string): Promise<void> {
    if (this.config.autoCreate) {
      // Resolves false when the topic exists already, which is fine.
      await this.admin.createTopics({
        topics: [
          { topic, numPartitions: this.config.partitions, replicationFactor: this.config.replicationFactor },
        ],
        waitForLeaders: true,
      });
      return;
    }
    const existing = await this.admin.listTopics();
    if (!existing.includes(topic)) throw new KafkaTopicMissingError(topic);
  }
}
