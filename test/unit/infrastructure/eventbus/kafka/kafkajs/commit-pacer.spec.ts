import { CommitPacer } from '../../../../../../src/infrastructure/eventbus/kafka/kafkajs/commit-pacer';

describe('CommitPacer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets the first commit go at once', () => {
    expect(new CommitPacer(1_000).due).toBe(true);
  });

  it('holds the next commit until the interval since the last one has passed', async () => {
    const pacer = new CommitPacer(1_000);
    pacer.sent();
    await jest.advanceTimersByTimeAsync(400);
    expect(pacer.due).toBe(false);
    const calls: string[] = [];
    pacer.later(() => calls.push('first'));
    pacer.later(() => calls.push('second')); // one waits at a time
    await jest.advanceTimersByTimeAsync(599);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['first']);
    expect(pacer.due).toBe(true);
    pacer.later(() => calls.push('third')); // the wait is over: a new one may start
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['first', 'third']);
  });

  it('drops a waiting call when cancelled', async () => {
    const pacer = new CommitPacer(1_000);
    pacer.sent();
    const calls: string[] = [];
    pacer.later(() => calls.push('waiting'));
    pacer.cancel();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([]);
  });

  it('never holds a commit with an interval of 0', () => {
    const pacer = new CommitPacer(0);
    pacer.sent();
    expect(pacer.due).toBe(true);
  });
});
