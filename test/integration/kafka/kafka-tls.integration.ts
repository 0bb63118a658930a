import {
  KafkaConnectionError,
  type EventBusConfig,
  type KafkaEventBus,
  type KafkaSecurityConfig,
} from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { connectTestKafkaBus, describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { ScriptKafkaBroker, type ScriptKafkaBrokerOptions } from '../../support/kafka/script-broker';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

// Two brokers of our own (JVM start, storage format, certificates): several seconds each.
jest.setTimeout(180_000);

const withSecurity =
  (security: KafkaSecurityConfig) =>
  (config: EventBusConfig): void => {
    config.kafka!.security = security;
  };

/** One message through the bus and a passing health check: the whole client path over this listener. */
async function expectRoundTrip(bus: KafkaEventBus, text: string): Promise<void> {
  const topic = uniqueName('tls');
  const received: string[] = [];
  await bus.subscribe(topic, (message) => {
    received.push(new TextDecoder().decode(message));
    return Promise.resolve();
  });
  await bus.publish(topic, text);
  await waitFor(() => received.length === 1, { timeout: 30_000 });
  expect(received).toEqual([text]);
  await expect(bus.healthCheck()).resolves.toBeUndefined();
}

async function withBus(
  connectBus: typeof connectTestKafkaBus,
  bootstrap: string,
  security: KafkaSecurityConfig,
  use: (bus: KafkaEventBus) => Promise<void>,
): Promise<void> {
  const bus = await connectBus([bootstrap], withSecurity(security));
  try {
    await use(bus);
  } finally {
    await bus.close();
  }
}

/** Starts both brokers in parallel (each start is mostly JVM warm-up); stops both if one fails. */
async function startBoth(
  first: ScriptKafkaBrokerOptions,
  second: ScriptKafkaBrokerOptions,
): Promise<[ScriptKafkaBroker, ScriptKafkaBroker]> {
  const results = await Promise.allSettled([ScriptKafkaBroker.start(first), ScriptKafkaBroker.start(second)]);
  const [a, b] = results;
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  await Promise.all(started.map((broker) => broker.stop()));
  throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
}

describeEachKafkaClient((connectBus, client) =>
  describeWithBroker(
    'kafka',
    'KafkaEventBus over TLS (own brokers: an SSL listener and a SASL_SSL listener, each with its own CA)',
    () => {
      let ssl: ScriptKafkaBroker;
      let saslSsl: ScriptKafkaBroker;

      beforeAll(async () => {
        // "requested": the SSL broker checks a client certificate when one is presented, and
        // accepts clients without one, so one broker covers the CA-only and the certFile cases.
        [ssl, saslSsl] = await startBoth(
          { ssl: true, sslClientAuth: 'requested' },
          { ssl: true, saslPlain: true },
        );
      });

      afterAll(async () => {
        await Promise.all([ssl?.stop(), saslSsl?.stop()]);
      });

      describe('SSL', () => {
        it('publishes and consumes trusting the broker CA from caFile, and is healthy', async () => {
          await withBus(
            connectBus,
            ssl.bootstrap,
            { enabled: true, protocol: 'SSL', caFile: ssl.tls.caFile },
            (bus) => expectRoundTrip(bus, 'over SSL'),
          );
        });

        it('presents the client certificate of certFile/keyFile, which the broker verifies and accepts', async () => {
          const { caFile, certFile, keyFile } = ssl.tls;
          await withBus(
            connectBus,
            ssl.bootstrap,
            { enabled: true, protocol: 'SSL', caFile, certFile, keyFile },
            (bus) => expectRoundTrip(bus, 'over mutual TLS'),
          );
        });

        // Without caFile the client trusts only the system CAs; the other broker's CA is a wrong one.
        it.each([
          ['no caFile', () => undefined],
          ['the CA of another broker', () => saslSsl.tls.caFile],
        ])('refuses the broker certificate with %s, saying caFile is the fix', async (_, caFile) => {
          const connecting = connectBus(
            [ssl.bootstrap],
            withSecurity({ enabled: true, protocol: 'SSL', caFile: caFile() }),
          );
          await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
          await expect(connecting).rejects.toThrow(
            `cannot connect to Kafka at ${ssl.bootstrap} over SSL: TLS handshake failed: the broker's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain); set eventbus.kafka.security.caFile to the CA that signed it`,
          );
        });

        it('fails when the broker rejects the client certificate (signed by a CA it does not trust)', async () => {
          const { certFile, keyFile } = saslSsl.tls;
          const connecting = connectBus(
            [ssl.bootstrap],
            withSecurity({ enabled: true, protocol: 'SSL', caFile: ssl.tls.caFile, certFile, keyFile }),
          );
          await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
          // kafkajs sees the broker's TLS alert; @platformatic/kafka only sees the socket close.
          await expect(connecting).rejects.toThrow(
            client === 'kafkajs'
              ? /over SSL: TLS handshake failed: the broker rejected the client certificate \(ERR_SSL_\w+: .+\); check eventbus\.kafka\.security\.certFile and eventbus\.kafka\.security\.keyFile/
              : /over SSL: the broker closed the connection; check that eventbus\.kafka\.security\.protocol \(SSL\) matches the broker's listener, and that the broker accepts the client certificate \(eventbus\.kafka\.security\.certFile, eventbus\.kafka\.security\.keyFile\)/,
          );
        });

        it('tells a plaintext client that its protocol does not match the listener, instead of hanging', async () => {
          const connecting = connectBus([ssl.bootstrap], (config) => (config.kafka!.producer.retryMax = 0));
          await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
          await expect(connecting).rejects.toThrow(
            `cannot connect to Kafka at ${ssl.bootstrap} over PLAINTEXT: the broker closed the connection; check that eventbus.kafka.security.protocol (PLAINTEXT) matches the broker's listener`,
          );
        });
      });

      describe('SASL_SSL', () => {
        const saslSecurity = (
          mechanism: 'PLAIN' | 'SCRAM-SHA-512',
          password: string,
          caFile: string | undefined = saslSsl.tls.caFile,
        ): KafkaSecurityConfig => ({
          enabled: true,
          protocol: 'SASL_SSL',
          mechanism,
          username: 'eventbus',
          password,
          caFile,
        });

        it.each(['PLAIN', 'SCRAM-SHA-512'] as const)(
          'publishes and consumes with the right credentials (%s over TLS), and is healthy',
          async (mechanism) => {
            await withBus(connectBus, saslSsl.bootstrap, saslSecurity(mechanism, 'eventbus-secret'), (bus) =>
              expectRoundTrip(bus, `${mechanism} over SASL_SSL`),
            );
          },
        );

        it.each(['PLAIN', 'SCRAM-SHA-512'] as const)(
          'rejects wrong credentials (%s) with an error that says authentication failed',
          async (mechanism) => {
            const connecting = connectBus(
              [saslSsl.bootstrap],
              withSecurity(saslSecurity(mechanism, 'wrong-secret')),
            );
            await expect(connecting).rejects.toBeInstanceOf(KafkaConnectionError);
            await expect(connecting).rejects.toThrow(
              `cannot connect to Kafka at ${saslSsl.bootstrap} as "eventbus" (${mechanism} over SASL_SSL): authentication failed`,
            );
          },
        );

        it('verifies the broker certificate on SASL_SSL too: a wrong CA fails the TLS handshake, before any credentials', async () => {
          const connecting = connectBus(
            [saslSsl.bootstrap],
            withSecurity(saslSecurity('PLAIN', 'eventbus-secret', ssl.tls.caFile)),
          );
          await expect(connecting).rejects.toThrow(
            `as "eventbus" (PLAIN over SASL_SSL): TLS handshake failed: the broker's certificate is not trusted`,
          );
        });
      });
    },
  ),
);
