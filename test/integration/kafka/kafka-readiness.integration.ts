import { Kafka, logLevel, type Admin } from 'kafkajs';
import {
  EventBusMetrics,
  type EventBusLogger,
  type KafkaEventBus,
} from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { ScriptKafkaBroker } from '../../support/kafka/script-broker';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

// Two broker starts and a group join that waits out a session timeout: about a minute on 2 cores.
jest.setTimeout(300_000);

/**
 * The production default. The restarted broker keeps the killed consumer's member in the group until
 * this expires, so the consumer rejoins that late: readiness must not wait for it.
 */
const SESSION_TIMEOUT = 30_000;
const MAX_PROCESSING_TIME = 60_000;
/** The most time the bus may stay unhealthy after the broker answers again (reconnect backoff is 5 s). */
const READY_WITHIN = 10_000;

describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'KafkaEventBus readiness after its broker is killed (-9) and restarted', () => {
    let broker: ScriptKafkaBroker;
    let bus: KafkaEventBus | undefined;
    let admin: Admin | undefined;

    beforeAll(async () => {
      broker = await ScriptKafkaBroker.start();
    });

    afterAll(async () => {
      await admin?.disconnect().catch(() => undefined);
      await bus?.close();
      await broker?.stop();
    });

    it('is healthy within seconds of the broker answering, while its consumer rejoins and resumes', async () => {
      // A timeline of the bus's own log lines and the test's milestones, printed at the end.
      const started = Date.now();
      const timeline: string[] = [];
      const note = (line: string): void => {
        timeline.push(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);
      };
      const busLine =
        (level: string) =>
        (details: object, message: string): void => {
          if (!('component' in details)) note(`${level} ${message}`); // kafkajs's own lines are noise here
        };
      const logger: EventBusLogger = {
        debug: () => undefined,
        info: busLine('info'),
        warn: busLine('warn'),
        error: busLine('error'),
      };
      bus = await connectBus(
        [broker.bootstrap],
        (config) => {
          const kafka = config.kafka!;
          kafka.healthCheckInterval = 500;
          kafka.consumer.sessionTimeout = SESSION_TIMEOUT;
          kafka.consumer.heartbeatInterval = 1_000;
          kafka.consumer.maxProcessingTime = MAX_PROCESSING_TIME;
          kafka.producer.retryMax = 2;
          kafka.producer.timeout = 5_000;
          config.healthCheck.timeout = 1_000;
        },
        { metrics: new EventBusMetrics(null), logger },
      );
      const healthy = (): Promise<boolean> =>
        bus!.healthCheck().then(
          () => true,
          () => false,
        );

      const topic = uniqueName('readiness');
      const handled = new Set<string>();
      await bus.subscribe(topic, (message) => {
        handled.add(new TextDecoder().decode(message));
        return Promise.resolve();
      });
      await bus.publish(topic, 'before');
      await waitFor(() => handled.has('before'), {
        timeout: 30_000,
        message: 'nothing consumed before the kill',
      });

      await broker.kill9();
      note('broker killed');
      await waitFor(async () => !(await healthy()), {
        timeout: 30_000,
        interval: 100,
        message: 'the bus never reported the dead broker',
      });
      note('health check fails');

      // The broker is back at the first metadata request that a client of its own gets answered.
      admin = new Kafka({
        clientId: 'readiness-observer',
        brokers: [broker.bootstrap],
        connectionTimeout: 1_000,
        requestTimeout: 2_000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      const answers = async (): Promise<boolean> => {
        try {
          await admin!.connect();
          await admin!.describeCluster();
          return true;
        } catch {
          await admin!.disconnect().catch(() => undefined);
          return false;
        }
      };
      const restarting = broker.restart();
      await waitFor(answers, { timeout: 180_000, interval: 50, message: 'the broker never answered' });
      const backAt = Date.now();
      note('broker answers a metadata request');

      // Each milestone is stamped when it first holds.
      let publishedAt: number | undefined;
      let healthyAt: number | undefined;
      let consumedAt: number | undefined;
      let sent = 0;
      await waitFor(
        async () => {
          if (publishedAt === undefined) {
            const published = await bus!.publish(topic, `after-${sent++}`).then(
              () => true,
              () => false,
            );
            if (published) {
              publishedAt = Date.now();
              note('a publish succeeds');
            }
          }
          if (healthyAt === undefined && (await healthy())) {
            healthyAt = Date.now();
            note('health check succeeds');
          }
          if (consumedAt === undefined && [...handled].some((body) => body.startsWith('after-'))) {
            consumedAt = Date.now();
            note('a message published after the restart is handled');
          }
          return healthyAt !== undefined && consumedAt !== undefined;
        },
        {
          timeout: SESSION_TIMEOUT + MAX_PROCESSING_TIME + 30_000,
          interval: 100,
          message: () =>
            `healthy ${healthyAt !== undefined}, consumed ${consumedAt !== undefined}:\n${timeline.join('\n')}`,
        },
      );
      await restarting;

      const after = (at: number | undefined): string => `${(((at ?? NaN) - backAt) / 1000).toFixed(1)} s`;
      console.log(
        `readiness: after the broker answered, a publish succeeded after ${after(publishedAt)}, ` +
          `the health check after ${after(healthyAt)}, consuming resumed after ${after(consumedAt)}\n` +
          timeline.join('\n'),
      );
      expect(healthyAt! - backAt).toBeLessThan(READY_WITHIN);
      expect(await healthy()).toBe(true);
    });
  }),
);
