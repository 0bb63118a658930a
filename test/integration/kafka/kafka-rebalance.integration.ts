import { type KafkaEventBus, type MessageContext } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(120_000);

const MESSAGES = 3_000;
const KEYS = 40;

describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'a consumer group rebalancing mid-stream', (brokers) => {
    const buses: KafkaEventBus[] = [];
    afterAll(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
    });

    it('loses nothing and keeps per-key order when a second instance joins the group mid-stream', async () => {
      const topic = uniqueName('rebalance');
      const group = uniqueName('rebalance-group');
      const connect = async (): Promise<KafkaEventBus> => {
        const bus = await connectBus(brokers(), (config) => (config.kafka!.topics.partitions = 6));
        buses.push(bus);
        return bus;
      };
      const handledBy: Record<'first' | 'second', string[]> = { first: [], second: [] };
      const orderByKey = new Map<string, number[]>();
      const handler =
        (instance: 'first' | 'second') =>
        async (message: Uint8Array, context: MessageContext): Promise<void> => {
          const [key, sequence] = new TextDecoder().decode(message).split(':') as [string, string];
          // A little work per message, so the join lands while batches are being handled.
          await new Promise((resolve) => setImmediate(resolve));
          handledBy[instance].push(`${key}:${sequence}`);
          orderByKey.set(key, [...(orderByKey.get(key) ?? []), Number(sequence)]);
          expect(context.group).toBe(group);
        };

      const first = await connect();
      await first.subscribe(topic, handler('first'), { group, concurrency: 8 });
      // A paced stream (~500 msg/s over 6 s), so the second instance joins while most of it is still to come.
      const publishing = (async () => {
        for (let index = 0; index < MESSAGES; index += 100) {
          if (index > 0) await new Promise((resolve) => setTimeout(resolve, 200));
          await Promise.all(
            Array.from({ length: 100 }, (_, offset) => {
              const sequence = index + offset;
              const key = `key-${sequence % KEYS}`;
              return first.publish(topic, `${key}:${Math.floor(sequence / KEYS)}`, { key });
            }),
          );
        }
      })();

      await waitFor(() => handledBy.first.length >= MESSAGES / 10, { timeout: 60_000 });
      const second = await connect();
      await second.subscribe(topic, handler('second'), { group, concurrency: 8 });
      const secondJoinedAfter = handledBy.first.length;
      await publishing;

      const distinct = (): Set<string> => new Set([...handledBy.first, ...handledBy.second]);
      await waitFor(() => distinct().size === MESSAGES, {
        timeout: 60_000,
        message: () => `handled ${distinct().size} of ${MESSAGES}`,
      });
      const total = handledBy.first.length + handledBy.second.length;
      console.log(
        `rebalance: sent ${MESSAGES}, handled ${total} (first ${handledBy.first.length}, second ${handledBy.second.length}), ` +
          `distinct ${distinct().size}, duplicates ${total - distinct().size}, lost 0, second joined after ${secondJoinedAfter}`,
      );
      expect(secondJoinedAfter).toBeLessThan(MESSAGES / 2);
      expect(handledBy.second.length).toBeGreaterThan(0);
      for (const [key, sequences] of orderByKey) {
        const firstSeen = sequences.filter((value, index) => sequences.indexOf(value) === index);
        expect({ key, order: firstSeen }).toEqual({ key, order: [...firstSeen].sort((a, b) => a - b) });
      }
    });
  }),
);
