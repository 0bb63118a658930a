import { Registry } from 'prom-client';
import {
  createEventBus,
  EventBusMetrics,
  getDefaultMemoryConfig,
  MemoryEventBus,
  TRACER_NAME,
  type EventBus,
} from '../src/infrastructure/eventbus';
import { startTracing, type Tracing } from '../src/infrastructure/tracing/tracing';
import { type BenchRow } from './bench-row';
import { alternatingRounds } from './stats';

const MESSAGE_BYTES = 256;
const ROUNDS = 5;

/**
 * What tracing costs the bus, on the memory bus where nothing else hides it: publish -> handled with
 * tracing off (the factory then returns the backend itself) next to the backend built directly, and
 * with tracing on, every trace sampled (spans created and ended, exported nowhere), next to off.
 */
export async function benchTracing(messages: number): Promise<BenchRow[]> {
  const direct = (): Promise<number> =>
    rate(new MemoryEventBus(getDefaultMemoryConfig(), { metrics: metrics() }), messages);
  const off = async (): Promise<number> => rate(await tracedBus(undefined), messages);
  const sampled = async (): Promise<number> => {
    const tracing = startTracing({ enabled: true, sampleRate: 1 }, { serviceName: 'bench' });
    try {
      return await rate(await tracedBus(tracing), messages);
    } finally {
      await tracing.shutdown();
    }
  };
  const offVsDirect = await alternatingRounds(ROUNDS, direct, off);
  const sampledVsOff = await alternatingRounds(ROUNDS, off, sampled);
  return [
    {
      backend: 'memory',
      scenario: `publish -> handled with tracing off (${MESSAGE_BYTES} B)`,
      ...offVsDirect,
      unit: 'msg/s',
      baseline: 'the backend built without the factory',
      note: 'off, the factory returns the backend itself',
    },
    {
      backend: 'memory',
      scenario: `publish -> handled with tracing on, every trace sampled (${MESSAGE_BYTES} B)`,
      ...sampledVsOff,
      unit: 'msg/s',
      baseline: 'tracing off',
      note: 'two spans per message, exported nowhere',
    },
  ];
}

function metrics(): EventBusMetrics {
  return new EventBusMetrics(new Registry());
}

function tracedBus(tracing: Tracing | undefined): Promise<EventBus> {
  const config = getDefaultMemoryConfig();
  config.tracing = { enabled: tracing !== undefined, sampleRate: 1 };
  return createEventBus(config, { metrics: metrics(), tracer: tracing?.tracer(TRACER_NAME) });
}

/** Messages/s from the first publish until the last is handled (close drains the queue). */
async function rate(bus: EventBus, messages: number): Promise<number> {
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);
  let handled = 0;
  await bus.subscribe('bench', () => Promise.resolve(void handled++));
  const started = performance.now();
  for (let index = 0; index < messages; index++) await bus.publish('bench', payload);
  await bus.close();
  const seconds = (performance.now() - started) / 1000;
  if (handled !== messages) throw new Error(`handled ${handled} of ${messages}`);
  return messages / seconds;
}
