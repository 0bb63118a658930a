import { Registry } from 'prom-client';
import {
  EventBusMetrics,
  MemoryEventBus,
  getDefaultMemoryConfig,
  type MessageContext,
} from '../src/infrastructure/eventbus';
import { type BenchRow } from './bench-row';

const MESSAGE_BYTES = 256;

/** publish -> handled on the memory bus (metrics on) next to a raw awaited promise dispatch. */
export async function benchMemory(messages: number): Promise<BenchRow[]> {
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);
  let handled = 0;
  const handler = (message: Uint8Array, _context: MessageContext): Promise<void> => {
    handled += message.byteLength === MESSAGE_BYTES ? 1 : 0;
    return Promise.resolve();
  };

  const rawContext = {
    topic: 'bench',
    group: 'bench',
    key: undefined,
    headers: {},
    messageId: 'x',
    attempt: 1,
    signal: new AbortController().signal,
  };
  const rawStart = performance.now();
  for (let index = 0; index < messages; index++) await handler(payload, rawContext);
  const rawSeconds = (performance.now() - rawStart) / 1000;
  if (handled !== messages) throw new Error(`raw dispatch handled ${handled} of ${messages}`);

  handled = 0;
  const bus = new MemoryEventBus(getDefaultMemoryConfig(), { metrics: new EventBusMetrics(new Registry()) });
  await bus.subscribe('bench', handler);
  const busStart = performance.now();
  for (let index = 0; index < messages; index++) await bus.publish('bench', payload);
  await bus.close(); // drains: every queued message is handled before close resolves
  const busSeconds = (performance.now() - busStart) / 1000;
  if (handled !== messages) throw new Error(`memory bus handled ${handled} of ${messages}`);

  const raw = messages / rawSeconds;
  const ours = messages / busSeconds;
  return [
    {
      backend: 'memory',
      scenario: 'publish -> handled (256 B, metrics on)',
      ours,
      raw,
      unit: 'msg/s',
      baseline: 'awaited promise dispatch',
    },
  ];
}
