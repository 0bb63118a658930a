import { KafkaConnectionError, type EventBusConfig } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { ScriptKafkaBroker } from '../../support/kafka/script-broker';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

// Starting a broker of our own takes several seconds (JVM start, storage format).
jest.setTimeout(180_000);

const withSasl =
  (mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string) =>
  (config: EventBusConfig): void => {
    config.kafka!.security = {
      enabled: true,
      protocol: 'SASL_PLAINTEXT',
      mechanism,
      username: 'eventbus',
      password,
    };
  };

describeEachKafkaClient((connectBus) =>
  describeWithBroker(
    'kafka',
    'KafkaEventBus with SASL PLAIN and SCRAM (own broker with a SASL_PLAINTEXT listener)',
    () => {
      let broker: ScriptKafkaBroker;

      beforeAll(async () => {
        // PLAIN too: it costs no extra broker (TLS-protected PLAIN is in kafka-tls.integration.ts).
        broker = await ScriptKafkaBroker.start({ saslPlain: true });
      });

      afterAll(async () => {
        await broker?.stop();
      });

      it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
        'publishes and consumes with the right credentials (%s)',
        async (mechanism) => {
          const bus = await connectBus([broker.bootstrap], withSasl(mechanism, 'eventbus-secret'));
          try {
            const topic = uniqueName('sasl');
            const received: string[] = [];
            await bus.subscribe(topic, (message) => {
              received.push(new TextDecoder().decode(message));
              return Promise.resolve();
            });
            await bus.publish(topic, `over ${mechanism}`);
            await waitFor(() => received.length === 1, { timeout: 30_000 });
            expect(received).toEqual([`over ${mechanism}`]);
            await expect(bus.healthCheck()).resolves.toBeUndefined();
          } finally {
            await bus.close();
          }
        },
      );

      it('rejects wrong credentials at connect with an error that says authentication failed', async () => {
        const connecting = connectBus([broker.bootstrap], withSasl('SCRAM-SHA-512', 'wrong-secret'));
        await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
        await expect(connecting).rejects.toThrow(
          new RegExp(
            `cannot connect to Kafka at ${broker.bootstrap} as "eventbus" \\(SCRAM-SHA-512 over SASL_PLAINTEXT\\): authentication failed`,
          ),
        );
      });

      it('rejects a plaintext client on the SASL listener instead of hanging, naming the protocol', async () => {
        const connecting = connectBus([broker.bootstrap], (config) => (config.kafka!.producer.retryMax = 0));
        await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
        await expect(connecting).rejects.toThrow(
          "over PLAINTEXT: the broker closed the connection; check that eventbus.kafka.security.protocol (PLAINTEXT) matches the broker's listener",
        );
      });
    },
  ),
);
