import {
  MAX_RECONNECT_WAIT,
  NatsReconnectPacing,
} from '../../../../../src/infrastructure/eventbus/nats/nats-reconnect-pacing';

/** The waits before each of `attempts` attempts, counting each one as made. */
function waits(pacing: NatsReconnectPacing, attempts: number): number[] {
  return Array.from({ length: attempts }, () => {
    const wait = pacing.delay();
    pacing.attempted();
    return wait;
  });
}

describe('NatsReconnectPacing', () => {
  it('spaces the first maxReconnects attempts reconnectWait apart (within 10% jitter)', () => {
    const pacing = new NatsReconnectPacing(3, 2_000);

    for (const wait of waits(pacing, 3)) {
      expect(wait).toBeGreaterThanOrEqual(1_800);
      expect(wait).toBeLessThanOrEqual(2_200);
    }
    expect(pacing.backingOff).toBe(true);
  });

  it('then keeps trying forever, the wait doubling up to its cap', () => {
    const pacing = new NatsReconnectPacing(2, 500);
    waits(pacing, 2);

    const later = waits(pacing, 50);

    expect(later[0]).toBeGreaterThanOrEqual(900); // 1 s
    expect(later[1]).toBeGreaterThanOrEqual(1_800); // 2 s
    for (const wait of later) expect(wait).toBeLessThanOrEqual(MAX_RECONNECT_WAIT * 1.1);
    expect(later.at(-1)).toBeGreaterThanOrEqual(MAX_RECONNECT_WAIT * 0.9);
  });

  it('says when the backoff begins, once per outage', () => {
    const pacing = new NatsReconnectPacing(2, 100);

    expect([pacing.attempted(), pacing.attempted(), pacing.attempted(), pacing.attempted()]).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it('starts over after a reconnect', () => {
    const pacing = new NatsReconnectPacing(1, 100);
    waits(pacing, 5);

    pacing.connected();

    expect(pacing.backingOff).toBe(false);
    expect(pacing.delay()).toBeLessThanOrEqual(110);
  });

  it('with -1 (the seed: forever) never backs off', () => {
    const pacing = new NatsReconnectPacing(-1, 300);

    for (const wait of waits(pacing, 100)) expect(wait).toBeLessThanOrEqual(330);
    expect(pacing.backingOff).toBe(false);
  });

  it('never busy-loops once backing off, even with a reconnectWait of 0', () => {
    const pacing = new NatsReconnectPacing(0, 0);

    expect(pacing.delay()).toBeGreaterThanOrEqual(450);
  });
});
