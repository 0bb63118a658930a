import { KeyOrderedScheduler } from '../../../../../src/infrastructure/eventbus/delivery/key-ordered-scheduler';

/** A task the test finishes by hand, so interleavings are explicit instead of timing-dependent. */
function controllable(): {
  run: (item: string) => Promise<void>;
  started: string[];
  finish: (item: string) => void;
} {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  return {
    started,
    run: (item) =>
      new Promise<void>((resolve) => {
        started.push(item);
        finishers.set(item, resolve);
      }),
    finish: (item) => finishers.get(item)!(),
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyOrderedScheduler', () => {
  it('runs one item per key at a time, in arrival order', async () => {
    const tasks = controllable();
    const scheduler = new KeyOrderedScheduler<string>(10, tasks.run);
    scheduler.push('a', 'a1');
    scheduler.push('a', 'a2');
    scheduler.push('b', 'b1');
    expect(tasks.started).toEqual([]);
    await flush();
    expect(tasks.started).toEqual(['a1', 'b1']);

    tasks.finish('a1');
    await flush();
    expect(tasks.started).toEqual(['a1', 'b1', 'a2']);
  });

  it('never exceeds its concurrency and starts waiting items as others finish', async () => {
    const tasks = controllable();
    const scheduler = new KeyOrderedScheduler<string>(2, tasks.run);
    for (const item of ['x1', 'x2', 'x3', 'x4']) scheduler.push(undefined, item);
    await flush();
    expect(tasks.started).toEqual(['x1', 'x2']);
    expect(scheduler.pending).toBe(4);

    tasks.finish('x2');
    await flush();
    expect(tasks.started).toEqual(['x1', 'x2', 'x3']);
  });

  it('keeps a key blocked while its item is still running, even when other keys move on', async () => {
    const tasks = controllable();
    const scheduler = new KeyOrderedScheduler<string>(1, tasks.run);
    scheduler.push('a', 'a1');
    scheduler.push('b', 'b1');
    scheduler.push('a', 'a2');
    await flush();
    tasks.finish('a1');
    await flush();
    expect(tasks.started).toEqual(['a1', 'b1']);
    tasks.finish('b1');
    await flush();
    expect(tasks.started).toEqual(['a1', 'b1', 'a2']);
  });

  it('resolves onIdle only when everything finished, and survives a rejecting task', async () => {
    let calls = 0;
    const scheduler = new KeyOrderedScheduler<number>(1, () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
    });
    scheduler.push('k', 1);
    scheduler.push('k', 2);
    await scheduler.onIdle();
    expect(calls).toBe(2);
    expect(scheduler.isIdle).toBe(true);
  });

  it('never runs an item inside push, so a publisher returns before any handler starts', async () => {
    const tasks = controllable();
    const scheduler = new KeyOrderedScheduler<string>(4, tasks.run);
    scheduler.push('a', 'a1');
    expect(tasks.started).toEqual([]);
    await flush();
    expect(tasks.started).toEqual(['a1']);
  });

  it('starts queued items when its concurrency grows', async () => {
    const tasks = controllable();
    const scheduler = new KeyOrderedScheduler<string>(0, tasks.run);
    scheduler.push(undefined, 'q1');
    expect(tasks.started).toEqual([]);
    scheduler.setConcurrency(1);
    await flush();
    expect(tasks.started).toEqual(['q1']);
  });
});
