import { Registry } from 'prom-client';
import { filter, Subject } from 'rxjs';
import {
  EventBusMetrics,
  MemoryEventBus,
  getDefaultMemoryConfig,
  type MessageContext,
} from '../src/infrastructure/eventbus';
import { type BenchRow } from './bench-row';
import { roundRobin, type RoundsSummary } from './stats';

const MESSAGE_BYTES = 256;

type Handler = (message: Uint8Array) => Promise<void>;

/**
 * publish -> handled, 256 B, on the memory bus (metrics on) next to in-process peers doing the same
 * work: emittery's `await emit()` (an async event emitter), an RxJS Subject pipeline as
 * @nestjs/cqrs builds its event bus, and a bare awaited call (the floor: no bus at all). BENCH_ROUNDS rounds (default 5), the order rotating; medians with ranges.
 */
export async function benchMemory(messages: number): Promise<BenchRow[]> {
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const { default: Emittery } = await import('emittery');
  const counted = (): { handler: Handler; handled: () => number } => {
    let handled = 0;
    return {
      handler: (message) => {
        handled += message.byteLength === MESSAGE_BYTES ? 1 : 0;
        return Promise.resolve();
      },
      handled: () => handled,
    };
  };
  const rate = async (side: string, run: (handler: Handler) => Promise<void>): Promise<number> => {
    const { handler, handled } = counted();
    const started = performance.now();
    await run(handler);
    const seconds = (performance.now() - started) / 1000;
    if (handled() !== messages) throw new Error(`${side} handled ${handled()} of ${messages}`);
    return messages / seconds;
  };

  const results = await roundRobin(rounds, {
    ours: () =>
      rate('the memory bus', async (handler) => {
        const bus = new MemoryEventBus(getDefaultMemoryConfig(), {
          metrics: new EventBusMetrics(new Registry()),
        });
        await bus.subscribe('bench', (message: Uint8Array, _context: MessageContext) => handler(message));
        for (let index = 0; index < messages; index++) await bus.publish('bench', payload);
        await bus.close(); // drains: every queued message is handled before close resolves
      }),
    emittery: () =>
      rate('emittery', async (handler) => {
        const emitter = new Emittery<{ bench: Uint8Array }>();
        emitter.on('bench', handler);
        for (let index = 0; index < messages; index++) await emitter.emit('bench', payload);
      }),
    rxjs: () =>
      rate('rxjs', async (handler) => {
        // As @nestjs/cqrs wires its event bus: one Subject, a filter per handler, the handler
        // called from subscribe (its promise not awaited by the stream).
        const subject = new Subject<{ topic: string; message: Uint8Array }>();
        const pending: Promise<void>[] = [];
        subject
          .pipe(filter((event) => event.topic === 'bench'))
          .subscribe((event) => void pending.push(handler(event.message)));
        for (let index = 0; index < messages; index++) subject.next({ topic: 'bench', message: payload });
        subject.complete();
        await Promise.all(pending);
      }),
    call: () =>
      rate('an awaited call', async (handler) => {
        for (let index = 0; index < messages; index++) await handler(payload);
      }),
  });

  const row = (baseline: string, peer: RoundsSummary, note: string): BenchRow => ({
    backend: 'memory',
    scenario: 'publish -> handled (256 B, metrics on)',
    ours: results.ours.median,
    raw: peer.median,
    unit: 'msg/s',
    baseline,
    note: `${note}; medians of ${rounds} rounds, ours ${range(results.ours)}, peer ${range(peer)}`,
  });
  return [
    row('emittery await emit()', results.emittery, 'goal >= 1.4x, and 1,000,000 msg/s on a quiet core'),
    row('RxJS Subject + filter + subscribe', results.rxjs, 'the @nestjs/cqrs event bus design'),
    row('awaited call, no bus', results.call, 'the floor: what any dispatch costs'),
  ];
}

function range({ min, max }: RoundsSummary): string {
  const millions = (value: number): string => (value / 1_000_000).toFixed(2);
  return `${millions(min)}-${millions(max)}M`;
}
