import { backoffDelay, sleep } from '../../../../../src/infrastructure/eventbus/delivery/retry-policy';

describe('backoffDelay', () => {
  const retry = { maxAttempts: 6, initialBackoff: 100, maxBackoff: 1000, multiplier: 3 };

  it('grows exponentially from the initial backoff and caps at the maximum', () => {
    expect([2, 3, 4, 5].map((attempt) => backoffDelay(attempt, retry))).toEqual([100, 300, 900, 1000]);
  });
});

describe('sleep', () => {
  it('returns false at once when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns true after the delay', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBe(true);
  });
});
