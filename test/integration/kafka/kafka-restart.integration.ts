import { EventBusMetrics, type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { ScriptKafkaBroker } from '../../support/kafka/script-broker';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

// Two broker starts, a kill and 10,000 messages: minutes on a 2-core machine, not seconds.
jest.setTimeout(300_000);

const MESSAGES = 10_000;
const KILL_AFTER = 3_000;

describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'KafkaEventBus when its broker is killed (-9) and restarted mid-stream', () => {
    let broker: ScriptKafkaBroker;
    let bus: KafkaEventBus | undefined;

    beforeAll(async () => {
      broker = await ScriptKafkaBroker.start();
    });

    afterAll(async () => {
      await bus?.close();
      await broker?.stop();
    });

    it('handles every message at least once, goes unhealthy, reconnects by itself and is healthy again', async () => {
      const metrics = new EventBusMetrics(null);
      bus = await connectBus(
        [broker.bootstrap],
        (config) => {
          const kafka = config.kafka!;
          kafka.healthCheckInterval = 500;
          kafka.consumer.sessionTimeout = 6_000; // the broker's minimum: the dead member expires fast
          kafka.consumer.maxProcessingTime = 20_000;
          kafka.producer.retryMax = 2;
          kafka.producer.timeout = 5_000;
          config.healthCheck.timeout = 1_000;
        },
        { metrics },
      );
      const connection = metrics.connection('kafka');
      let reconnectCallbacks = 0;
      bus.registerReconnectCallback(() => {
        reconnectCallbacks++;
      });

      const topic = uniqueName('restart');
      const handled = new Map<string, number>();
      await bus.subscribe(topic, (message) => {
        const body = new TextDecoder().decode(message);
        handled.set(body, (handled.get(body) ?? 0) + 1);
        return Promise.resolve();
      });

      let publishAttempts = 0;
      let publishFailures = 0;
      const publishing = (async () => {
        for (let start = 0; start < MESSAGES; start += 250) {
          let pending = Array.from(
            { length: Math.min(250, MESSAGES - start) },
            (_, offset) => `m${start + offset}`,
          );
          // At-least-once from the publisher's side too: a failed publish is sent again.
          while (pending.length > 0) {
            publishAttempts += pending.length;
            const results = await Promise.allSettled(
              pending.map((body) => bus!.publish(topic, body, { key: body })),
            );
            pending = pending.filter((_, index) => results[index]!.status === 'rejected');
            publishFailures += pending.length;
            if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200)); // backoff before resending
          }
        }
      })();

      await waitFor(() => handled.size >= KILL_AFTER, {
        timeout: 120_000,
        message: () => `handled ${handled.size}`,
      });
      await broker.kill9();
      const handledAtKill = handled.size;

      await waitFor(
        async () =>
          bus!.healthCheck().then(
            () => false,
            () => true,
          ),
        {
          timeout: 60_000,
          interval: 100,
          message: 'the bus never reported the dead broker',
        },
      );
      const errorsWhileDown = connection.connectionErrors;

      await broker.restart();
      await publishing;
      await waitFor(() => handled.size === MESSAGES, {
        timeout: 180_000,
        interval: 100,
        message: () => `handled ${handled.size} of ${MESSAGES}`,
      });
      await waitFor(
        async () =>
          bus!.healthCheck().then(
            () => true,
            () => false,
          ),
        {
          timeout: 60_000,
          interval: 100,
          message: 'the bus never became healthy again',
        },
      );

      const deliveries = [...handled.values()].reduce((sum, count) => sum + count, 0);
      const lost = Array.from({ length: MESSAGES }, (_, index) => `m${index}`).filter(
        (body) => !handled.has(body),
      );
      console.log(
        `restart: sent ${MESSAGES} (${publishAttempts} publish attempts, ${publishFailures} failed and resent), ` +
          `killed after ${handledAtKill} handled, handled ${deliveries} times, distinct ${handled.size}, ` +
          `duplicates ${deliveries - handled.size}, lost ${lost.length}; connection errors ${connection.connectionErrors}, ` +
          `reconnects ${connection.reconnects}, reconnect callbacks ${reconnectCallbacks}`,
      );
      expect(lost).toEqual([]);
      expect(errorsWhileDown).toBeGreaterThan(0);
      expect(connection.reconnects).toBeGreaterThanOrEqual(1);
      expect(reconnectCallbacks).toBeGreaterThanOrEqual(1);
      expect(connection.healthy).toBe(1);
    });
  }),
);
