import { type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { uniqueName } from '../unique';
import { waitFor } from '../wait-for';

/**
 * Lines for the console clients (no line breaks): small ones that share batches, and one of about
 * 150 KB that spans several blocks of the Java producer's framing (lz4 64 KB, xerial snappy 32 KB).
 */
export function codecPayloads(codec: string): string[] {
  const small = Array.from({ length: 20 }, (_, i) => `${codec}-${i}-${'abc'.repeat(i * 10)}`);
  const big = `${codec}-big-${Array.from({ length: 30_000 }, (_, i) => `w${(i * 7919) % 1000}`).join('-')}`;
  return [...small, big];
}

export const sorted = (values: string[]): string[] => [...values].sort();

/** Subscribes (which creates the topic) in a group of its own; `received` waits for `count` messages. */
export async function readAsText(consumer: KafkaEventBus, topic: string) {
  const seen: string[] = [];
  await consumer.subscribe(
    topic,
    (message) => {
      seen.push(Buffer.from(message).toString('utf8'));
      return Promise.resolve();
    },
    { group: uniqueName('codec-reader') },
  );
  return {
    received: async (count: number): Promise<string[]> => {
      await waitFor(() => seen.length >= count, {
        timeout: 30_000,
        message: () => `the bus got ${seen.length} of ${count}`,
      });
      return seen;
    },
  };
}
