import {
  NatsPrefetchWindow,
  PREFETCH_HORIZON,
} from '../../../../../src/infrastructure/eventbus/nats/nats-prefetch-window';

/**
 * Starts a measurement at `from`, then finishes `count` messages evenly over the next horizon;
 * returns when it ended.
 */
function oneHorizon(window: NatsPrefetchWindow, count: number, from: number): number {
  window.finished(from);
  for (let index = 1; index <= count; index++) {
    window.finished(from + (index * PREFETCH_HORIZON) / count);
  }
  return from + PREFETCH_HORIZON;
}

/** A time a full horizon after the window was made: the next `finished` closes a measurement. */
const later = (): number => performance.now() + 2 * PREFETCH_HORIZON;

describe('NatsPrefetchWindow', () => {
  it('holds prefetchMultiplier messages per handler slot while handlers are slow', () => {
    const window = new NatsPrefetchWindow(2, 1_000);
    window.setConcurrency(16);
    expect(window.size).toBe(32);

    // 16 slots of 15 ms handlers: about one message per ms, 20 in a horizon.
    oneHorizon(window, 20, later());
    expect(window.size).toBe(32);
  });

  it('follows the concurrency as subscriptions join and leave', () => {
    const window = new NatsPrefetchWindow(2, 1_000);
    window.setConcurrency(16);
    window.setConcurrency(40);
    expect(window.size).toBe(80);
    window.setConcurrency(0);
    expect(window.size).toBe(1);
  });

  it('holds what the group handles in a horizon while handlers are fast, up to maxAckPending', () => {
    const window = new NatsPrefetchWindow(2, 1_000);
    window.setConcurrency(16);
    const end = oneHorizon(window, 400, later());
    expect(window.size).toBe(400);

    oneHorizon(window, 4_000, end + PREFETCH_HORIZON);
    expect(window.size).toBe(1_000);
  });

  it('shrinks again when the pace drops', () => {
    const window = new NatsPrefetchWindow(2, 1_000);
    window.setConcurrency(16);
    const end = oneHorizon(window, 2_000, later());
    expect(window.size).toBe(1_000);
    window.finished(end + 5 * PREFETCH_HORIZON);
    expect(window.size).toBe(32);
  });
});
