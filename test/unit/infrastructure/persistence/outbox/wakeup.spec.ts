import { Wakeup } from '../../../../../src/infrastructure/persistence/outbox/wakeup';

/** Whether `promise` has resolved yet, readable after the timers or microtasks ran. */
function track(promise: Promise<void>): { readonly resolved: boolean } {
  const state = { resolved: false };
  void promise.then(() => {
    state.resolved = true;
  });
  return state;
}

describe('Wakeup', () => {
  let wakeup: Wakeup;

  beforeEach(() => {
    jest.useFakeTimers();
    wakeup = new Wakeup();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves a wait once its interval has passed', async () => {
    const wait = track(wakeup.wait(1_000));

    await jest.advanceTimersByTimeAsync(999);
    expect(wait.resolved).toBe(false);

    await jest.advanceTimersByTimeAsync(1);
    expect(wait.resolved).toBe(true);
  });

  it('ends a wait early on wake(), and clears its timer', async () => {
    const wait = track(wakeup.wait(60_000));
    await jest.advanceTimersByTimeAsync(10);
    expect(wait.resolved).toBe(false);

    wakeup.wake();
    await jest.advanceTimersByTimeAsync(0);

    expect(wait.resolved).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not carry a wake() that ended a wait over to the next one', async () => {
    const first = track(wakeup.wait(60_000));
    wakeup.wake();
    await jest.advanceTimersByTimeAsync(0);
    expect(first.resolved).toBe(true);

    const second = track(wakeup.wait(1_000));
    await jest.advanceTimersByTimeAsync(999);
    expect(second.resolved).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(second.resolved).toBe(true);
  });

  it('makes the next wait resolve at once after a wake() with nobody waiting, only once', async () => {
    wakeup.wake();
    wakeup.wake();

    const signalled = track(wakeup.wait(60_000));
    await jest.advanceTimersByTimeAsync(0);
    expect(signalled.resolved).toBe(true);
    expect(jest.getTimerCount()).toBe(0);

    // Two wake()s before the wait were one signal: the wait after it sleeps its full interval.
    const next = track(wakeup.wait(1_000));
    await jest.advanceTimersByTimeAsync(999);
    expect(next.resolved).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(next.resolved).toBe(true);
  });

  it('keeps a wake() that came after a wait timed out for the next wait', async () => {
    const timedOut = track(wakeup.wait(100));
    await jest.advanceTimersByTimeAsync(100);
    expect(timedOut.resolved).toBe(true);

    wakeup.wake();
    const next = track(wakeup.wait(60_000));
    await jest.advanceTimersByTimeAsync(0);

    expect(next.resolved).toBe(true);
  });

  it('ends every wait in progress on one wake(), and keeps no signal for later', async () => {
    const waits = [track(wakeup.wait(60_000)), track(wakeup.wait(60_000)), track(wakeup.wait(60_000))];

    wakeup.wake();
    await jest.advanceTimersByTimeAsync(0);

    expect(waits.every((wait) => wait.resolved)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    const next = track(wakeup.wait(1_000));
    await jest.advanceTimersByTimeAsync(0);
    expect(next.resolved).toBe(false);
  });
});
