import { type Admin, type Kafka } from 'kafkajs';
import { withDeadline } from '../kafka-health';

/**
 * Asks the broker for cluster metadata, bounded in time: the bus is healthy only while this
 * answers. A failed probe drops its admin client, so the next one connects afresh.
 */
export class KafkaHealthProbe {
  private admin: Admin | undefined;

  constructor(private readonly kafka: () => Kafka) {}

  async probe(timeout: number, signal?: AbortSignal): Promise<void> {
    const admin = (this.admin ??= this.kafka().admin({ retry: { retries: 0 } }));
    try {
      await withDeadline(
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        timeout,
        signal,
      );
    } catch (error) {
      if (this.admin === admin) this.admin = undefined;
      admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
