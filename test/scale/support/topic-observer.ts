import { type EventBus, type Subscription } from '../../../src/infrastructure/eventbus';
import { consumerNameFor, streamNameFor } from '../../../src/infrastructure/eventbus/nats/nats-names';
import { connectTestKafkaBus } from '../../support/kafka/kafka-test-bus';
import { withJetStreamManager } from '../../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { type ScaleBackend } from './service-cluster';

/** A message as the bus delivered it to the observer. */
export interface ObservedMessage {
  readonly key: string;
  readonly messageId: string;
}

/**
 * A consumer of its own group on `topic`, in the test process: it sees every message the relays
 * published, in the order the broker keeps per key (one consumer, so per-key order holds on every
 * backend).
 */
export class TopicObserver {
  private constructor(
    readonly received: readonly ObservedMessage[],
    private readonly bus: EventBus,
    private readonly subscription: Subscription,
    private readonly cleanUp: () => Promise<void>,
  ) {}

  static async start(backend: ScaleBackend, addresses: string[], topic: string): Promise<TopicObserver> {
    const group = uniqueName('scale-observer');
    const bus: EventBus =
      backend.kind === 'kafka' ? await connectTestKafkaBus(addresses) : await connectTestNatsBus(addresses);
    const received: ObservedMessage[] = [];
    // A new Kafka group may be assigned its partitions after the first publishes: it reads from the
    // earliest message. A JetStream consumer exists once subscribe resolves: new messages suffice.
    const subscription = await bus.subscribe(
      topic,
      (_payload, context) => {
        if (context.key !== undefined) received.push({ key: context.key, messageId: context.messageId });
        return Promise.resolve();
      },
      { group, startFrom: backend.kind === 'kafka' ? 'earliest' : 'latest' },
    );
    const cleanUp =
      backend.kind === 'nats'
        ? () =>
            withJetStreamManager(addresses, (jsm) =>
              jsm.consumers.delete(streamNameFor(topic), consumerNameFor(group)),
            ).then(() => undefined)
        : () => Promise.resolve();
    return new TopicObserver(received, bus, subscription, cleanUp);
  }

  async stop(): Promise<void> {
    await this.subscription.unsubscribe();
    await this.bus.close();
    await this.cleanUp().catch(() => undefined);
  }
}

/** Message ids per key, in the order of `messages`. */
export function idsByKey(messages: readonly ObservedMessage[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const { key, messageId } of messages) byKey.set(key, [...(byKey.get(key) ?? []), messageId]);
  return byKey;
}
