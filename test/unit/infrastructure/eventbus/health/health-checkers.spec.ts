import {
  HealthCheckTopic,
  HealthInstanceHeader,
  PublisherHealthChecker,
  SubscriberHealthChecker,
  type MessageContext,
} from '../../../../../src/infrastructure/eventbus';
import { waitFor } from '../../../../support/wait-for';
import { createTestMemoryBus } from '../../../../support/memory-bus';

describe('PublisherHealthChecker', () => {
  it('publishes a health message naming its instance and reports healthy', async () => {
    const bus = createTestMemoryBus().bus;
    const seen: MessageContext[] = [];
    await bus.subscribe(HealthCheckTopic, (_message, context) => {
      seen.push(context);
      return Promise.resolve();
    });
    const checker = new PublisherHealthChecker(bus, {
      instanceId: 'instance-a',
      interval: 60_000,
      timeout: 1000,
    });

    const status = await checker.checkNow();

    expect(status.healthy).toBe(true);
    expect(status.lastSuccessAt).toBeInstanceOf(Date);
    await waitFor(() => seen.length === 1);
    expect(seen[0]!.headers[HealthInstanceHeader]).toBe('instance-a');
    await bus.close();
  });

  it('records the failure and counts consecutive ones once the bus is closed', async () => {
    const bus = createTestMemoryBus().bus;
    const checker = new PublisherHealthChecker(bus, { instanceId: 'a', interval: 60_000, timeout: 1000 });
    await bus.close();

    await checker.checkNow();
    const status = await checker.checkNow();

    expect(status.healthy).toBe(false);
    expect(status.lastError).toMatch(/closed/);
    expect(status.consecutiveFailures).toBe(2);
  });

  it('checks at once on start and stops cleanly', async () => {
    const bus = createTestMemoryBus().bus;
    const checker = new PublisherHealthChecker(bus, { instanceId: 'a', interval: 60_000, timeout: 1000 });
    checker.start();
    await waitFor(() => checker.status().healthy);
    await checker.stop();
    await bus.close();
  });
});

describe('SubscriberHealthChecker', () => {
  it('is healthy while its own health messages arrive and unhealthy once they are older than maxMessageAge', async () => {
    const bus = createTestMemoryBus().bus;
    const publisher = new PublisherHealthChecker(bus, { instanceId: 'a', interval: 60_000, timeout: 1000 });
    const subscriber = new SubscriberHealthChecker(bus, {
      instanceId: 'a',
      maxMessageAge: 150,
      timeout: 1000,
    });
    await subscriber.start();
    await publisher.checkNow();
    await expect(subscriber.check()).resolves.toBeUndefined();

    await waitFor(() => !subscriber.status().healthy, { timeout: 2000 });
    await expect(subscriber.check()).rejects.toThrow(/no health check message received/);
    await subscriber.stop();
    await bus.close();
  });

  it('gives every instance its own group so each one sees its own messages, and ignores other instances', async () => {
    const bus = createTestMemoryBus().bus;
    const instances = ['a', 'b'].map((id) => ({
      id,
      publisher: new PublisherHealthChecker(bus, { instanceId: id, interval: 60_000, timeout: 1000 }),
      subscriber: new SubscriberHealthChecker(bus, { instanceId: id, maxMessageAge: 300, timeout: 1000 }),
    }));
    for (const instance of instances) await instance.subscriber.start();
    expect(new Set(instances.map((instance) => instance.subscriber.group)).size).toBe(2);

    // Only instance a keeps publishing: b must go stale even though a's messages reach it.
    const deadline = Date.now() + 600;
    while (Date.now() < deadline) {
      await instances[0]!.publisher.checkNow();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect(instances[0]!.subscriber.check()).resolves.toBeUndefined();
    await expect(instances[1]!.subscriber.check()).rejects.toThrow(/no health check message/);
    await bus.close();
  });

  it('fails when not started and when the bus is closed', async () => {
    const bus = createTestMemoryBus().bus;
    const subscriber = new SubscriberHealthChecker(bus, {
      instanceId: 'a',
      maxMessageAge: 60_000,
      timeout: 1000,
    });
    await expect(subscriber.check()).rejects.toThrow(/not running/);
    await subscriber.start();
    await bus.close();
    await expect(subscriber.check()).rejects.toThrow(/closed/);
  });
});
