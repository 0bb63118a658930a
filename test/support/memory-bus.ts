import {
  EventBusMetrics,
  MemoryEventBus,
  getDefaultMemoryConfig,
  type EventBus,
  type MessageContext,
} from '../../src/infrastructure/eventbus';

/** Retries fast enough that a retry-then-dead-letter test takes milliseconds. */
export const FAST_RETRY = { maxAttempts: 3, initialBackoff: 1, maxBackoff: 5, multiplier: 2 };

/** A real in-memory bus with fast retries and its own (unexported) metrics, readable by the test. */
export function createTestMemoryBus(metrics = new EventBusMetrics(null)): {
  bus: MemoryEventBus;
  metrics: EventBusMetrics;
} {
  const config = getDefaultMemoryConfig();
  config.retry = { ...FAST_RETRY };
  config.shutdownTimeout = 2000;
  return { bus: new MemoryEventBus(config, { metrics }), metrics };
}

export interface ReceivedMessage {
  readonly payload: Uint8Array;
  readonly context: MessageContext;
}

/** Subscribes a raw handler in its own group and collects everything the topic carries. */
export async function collectTopic(bus: EventBus, topic: string, group: string): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  await bus.subscribe(
    topic,
    (payload, context) => {
      received.push({ payload, context });
      return Promise.resolve();
    },
    { group },
  );
  return received;
}
