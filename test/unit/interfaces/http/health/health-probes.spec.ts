import { createHealthProbes } from '../../../../../src/interfaces/http/health/health-probes';

describe('createHealthProbes', () => {
  const healthyBus = { healthCheck: jest.fn(() => Promise.resolve()), unrecoverableReason: () => undefined };

  it('eventBus() is the bus health check, with the signal passed on', async () => {
    const probes = createHealthProbes({ eventBus: healthyBus });
    const signal = new AbortController().signal;

    await probes.eventBus(signal);

    expect(healthyBus.healthCheck).toHaveBeenCalledWith({ signal });
  });

  it('eventBus() rejects with the bus reason', async () => {
    const probes = createHealthProbes({
      eventBus: { ...healthyBus, healthCheck: () => Promise.reject(new Error('nats: disconnected')) },
    });

    await expect(probes.eventBus()).rejects.toThrow('nats: disconnected');
  });

  it('readiness() resolves when the bus and every named check are fine', async () => {
    const probes = createHealthProbes({
      eventBus: healthyBus,
      readiness: { subscriberHealth: () => Promise.resolve(), consumers: () => Promise.resolve() },
    });

    await expect(probes.readiness()).resolves.toBeUndefined();
  });

  it('readiness() names every part that is not ready', async () => {
    const probes = createHealthProbes({
      eventBus: { ...healthyBus, healthCheck: () => Promise.reject(new Error('closed')) },
      readiness: {
        subscriberHealth: () =>
          Promise.reject(new Error('no health check message received in the last 30000 ms')),
        consumers: () => Promise.resolve(),
      },
    });

    await expect(probes.readiness()).rejects.toThrow(
      'not ready: eventbus: closed; subscriberHealth: no health check message received in the last 30000 ms',
    );
  });

  it('liveness() is empty while the bus can recover, even when it is down', () => {
    const probes = createHealthProbes({
      eventBus: { ...healthyBus, healthCheck: () => Promise.reject(new Error('disconnected')) },
    });

    expect(probes.liveness()).toEqual([]);
  });

  it('liveness() names the bus with its reason once it cannot recover by itself', () => {
    const probes = createHealthProbes({
      eventBus: {
        ...healthyBus,
        unrecoverableReason: () => 'NATS connection closed: Authorization Violation',
      },
    });

    expect(probes.liveness()).toEqual([
      { check: 'eventbus', reason: 'NATS connection closed: Authorization Violation' },
    ]);
  });
});
