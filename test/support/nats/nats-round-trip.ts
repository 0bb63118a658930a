import { type EventBusConfig, type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { uniqueName } from '../unique';
import { waitFor } from '../wait-for';
import { connectTestNatsBus } from './nats-test-bus';

/**
 * Connects a NatsEventBus with `adjust`, proves a publish -> handle round trip through JetStream
 * (the bus creates the stream and consumer) and a passing health check, then closes.
 */
export async function natsRoundTrip(url: string, adjust: (config: EventBusConfig) => void): Promise<void> {
  const bus: NatsEventBus = await connectTestNatsBus([url], adjust);
  try {
    const topic = uniqueName('round-trip');
    const seen: string[] = [];
    await bus.subscribe(topic, (message) => {
      seen.push(new TextDecoder().decode(message));
      return Promise.resolve();
    });
    await bus.publish(topic, 'delivered');
    await waitFor(() => seen.includes('delivered'));
    await bus.healthCheck();
  } finally {
    await bus.close();
  }
}

/**
 * What connecting with `adjust` rejects with; no reconnects, so a refusal surfaces at once. A bus
 * that connects after all is closed and the test fails.
 */
export function natsConnectFailure(url: string, adjust: (config: EventBusConfig) => void): Promise<unknown> {
  return connectTestNatsBus([url], (config) => {
    config.nats!.maxReconnects = 0;
    adjust(config);
  }).then(
    async (bus) => {
      await bus.close();
      throw new Error('connected although the connection should have been refused');
    },
    (error: unknown) => error,
  );
}
