import { untilLeadersElected } from '../../../../../src/infrastructure/eventbus/kafka/topic-leaders';

/** Answers metadata with each list in turn, then the last one for ever. */
function answers(...lists: number[][]): { leadersOf: () => Promise<number[]>; asked: () => number } {
  let calls = 0;
  return {
    leadersOf: () => Promise.resolve(lists[Math.min(calls++, lists.length - 1)]!),
    asked: () => calls,
  };
}

describe('untilLeadersElected', () => {
  it('waits while the topic is unknown or a partition has no leader, then resolves', async () => {
    const metadata = answers([], [0, -1, 0], [0, 0, 0]);
    await untilLeadersElected('orders', 5_000, metadata.leadersOf);
    expect(metadata.asked()).toBe(3);
  });

  it('gives up after the timeout, naming the topic', async () => {
    const metadata = answers([-1]);
    await expect(untilLeadersElected('orders', 120, metadata.leadersOf)).rejects.toThrow(
      'topic "orders" has no leader after 120 ms',
    );
    expect(metadata.asked()).toBeGreaterThan(1);
  });

  it('passes on a failure that is not a topic still being set up', async () => {
    const denied = new Error('not authorized');
    await expect(untilLeadersElected('orders', 5_000, () => Promise.reject(denied))).rejects.toBe(denied);
  });
});
