import {
  DeadLetterHeader,
  type KafkaEventBus,
  type MessageContext,
} from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

const SESSION_TIMEOUT = 6_000; // the broker's default group.min.session.timeout.ms
const MAX_PROCESSING_TIME = 9_000;

describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'slow handlers: sessionTimeout and maxProcessingTime', (brokers) => {
    let bus: KafkaEventBus;

    afterAll(async () => {
      await bus?.close();
    });

    it('keeps the membership of a handler slower than the session, and fails one slower than maxProcessingTime', async () => {
      bus = await connectBus(brokers(), (config) => {
        config.kafka!.consumer.sessionTimeout = SESSION_TIMEOUT;
        config.kafka!.consumer.heartbeatInterval = 1_000;
        config.kafka!.consumer.maxProcessingTime = MAX_PROCESSING_TIME;
        config.retry.maxAttempts = 1;
      });
      const topic = uniqueName('slow');
      const attempts: { body: string; attempt: number }[] = [];
      let hungSignal: AbortSignal | undefined;
      const deadLetters: MessageContext[] = [];
      await bus.subscribe(
        `${topic}.dlq`,
        (_message, context) => {
          deadLetters.push(context);
          return Promise.resolve();
        },
        { group: uniqueName('dlq') },
      );
      await bus.subscribe(
        topic,
        (message, context) => {
          const body = new TextDecoder().decode(message);
          attempts.push({ body, attempt: context.attempt });
          if (body === 'hangs') {
            hungSignal = context.signal;
            return new Promise(() => undefined); // never settles
          }
          // Longer than the session timeout: without heartbeats during the handler the group would evict us.
          return new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT + 1_500));
        },
        { concurrency: 2 },
      );

      await bus.publish(topic, 'slow', { key: 'a' });
      await bus.publish(topic, 'hangs', { key: 'b' });

      await waitFor(() => deadLetters.length === 1, {
        timeout: 30_000,
        message: 'the hung message was not dead-lettered',
      });
      expect(deadLetters[0]!.headers[DeadLetterHeader.error]).toContain('maxProcessingTime');
      expect(hungSignal?.aborted).toBe(true);
      await bus.publish(topic, 'after', { key: 'a' });
      await waitFor(() => attempts.some(({ body }) => body === 'after'), { timeout: 30_000 });
      // Handled once each: no rebalance took 'slow' away and redelivered it.
      expect(attempts.filter(({ body }) => body === 'slow')).toEqual([{ body: 'slow', attempt: 1 }]);
      expect(attempts.filter(({ body }) => body === 'hangs')).toEqual([{ body: 'hangs', attempt: 1 }]);
    });
  }),
);
