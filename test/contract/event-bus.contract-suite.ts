import {
  DeadLetterHeader,
  EnvelopeHeader,
  EventBusClosedError,
  InvalidMessageError,
  InvalidTopicError,
  MessageTooLargeError,
  PublishAbortedError,
  type EventBus,
  type MessageContext,
  type RetryConfig,
} from '../../src/infrastructure/eventbus';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

export interface ContractBusOptions {
  /** Fast retries so the suite does not wait out production backoffs. */
  readonly retry: RetryConfig;
  readonly maxMessageBytes: number;
  /** The group a subscribe without one joins: new for each test, so no test meets another's members. */
  readonly defaultGroup: string;
}

export interface EventBusContractFeatures {
  /** Messages outlive a subscription: a group that resubscribes continues where it stopped. */
  readonly persistent: boolean;
  /** How long to wait for deliveries; brokers need more than memory. */
  readonly deliveryTimeout: number;
}

export type ContractBusFactory = (options: ContractBusOptions) => Promise<EventBus>;

const CONTRACT_OPTIONS: Omit<ContractBusOptions, 'defaultGroup'> = {
  retry: { maxAttempts: 3, initialBackoff: 5, maxBackoff: 20, multiplier: 2 },
  maxMessageBytes: 64 * 1024,
};

const decoder = new TextDecoder();
const text = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Collects what a handler saw, for assertions on counts and content. */
class Received {
  readonly messages: { body: string; context: MessageContext }[] = [];

  get bodies(): string[] {
    return this.messages.map((message) => message.body);
  }

  handler = (message: Uint8Array, context: MessageContext): Promise<void> => {
    this.messages.push({ body: text(message), context });
    return Promise.resolve();
  };

  distinct(): Set<string> {
    return new Set(this.bodies);
  }
}

/**
 * The semantics every backend must share (brief §3). A backend runs it with a factory that builds a
 * fresh bus per call and declares, through `features`, what it cannot do.
 */
export function describeEventBusContract(
  name: string,
  factory: ContractBusFactory,
  features: EventBusContractFeatures,
): void {
  describe(`EventBus contract: ${name}`, () => {
    const openBuses: EventBus[] = [];
    let defaultGroup = '';
    beforeEach(() => {
      defaultGroup = uniqueName('contract-group');
    });
    const newBus = async (): Promise<EventBus> => {
      const bus = await factory({ ...CONTRACT_OPTIONS, defaultGroup });
      openBuses.push(bus);
      return bus;
    };
    const deliveredWithin = (condition: () => boolean, message: () => string): Promise<void> =>
      waitFor(condition, { timeout: features.deliveryTimeout, message });

    afterEach(async () => {
      await Promise.all(openBuses.splice(0).map((bus) => bus.close()));
    });

    it('delivers payload, key and headers intact, with the envelope headers added', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-roundtrip');
      const received = new Received();
      await bus.subscribe(topic, received.handler);
      const binary = new Uint8Array([0, 1, 2, 250, 255]);

      await bus.publish(topic, 'hello', {
        key: 'k-1',
        headers: { 'x-tenant': 'acme', 'x-empty': '' },
        messageId: 'm-1',
      });
      await bus.publish(topic, binary);

      await deliveredWithin(
        () => received.messages.length === 2,
        () => `got ${received.messages.length}`,
      );
      const first = received.messages.find((message) => message.context.key === 'k-1');
      const second = received.messages.find((message) => message.context.key === undefined);
      expect(first!.body).toBe('hello');
      expect(first!.context).toMatchObject({ topic, key: 'k-1', messageId: 'm-1', attempt: 1 });
      expect(first!.context.headers).toMatchObject({
        'x-tenant': 'acme',
        'x-empty': '',
        [EnvelopeHeader.id]: 'm-1',
      });
      expect(Date.parse(first!.context.headers[EnvelopeHeader.time]!)).not.toBeNaN();
      expect(second!.body).toBe(text(binary));
      expect(second!.context.headers[EnvelopeHeader.id]).toBe(second!.context.messageId);
    });

    it('delivers raw bytes unchanged', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-bytes');
      const seen: Uint8Array[] = [];
      await bus.subscribe(topic, (message) => {
        seen.push(Uint8Array.from(message));
        return Promise.resolve();
      });
      const payload = Uint8Array.from({ length: 256 }, (_, index) => index);
      await bus.publish(topic, payload);
      await deliveredWithin(
        () => seen.length === 1,
        () => `got ${seen.length}`,
      );
      expect([...seen[0]!]).toEqual([...payload]);
    });

    it('loses nothing from 50 concurrent publishers', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-concurrent');
      const received = new Received();
      await bus.subscribe(topic, received.handler);
      const perPublisher = 20;

      await Promise.all(
        Array.from({ length: 50 }, async (_, publisher) => {
          for (let index = 0; index < perPublisher; index++)
            await bus.publish(topic, `p${publisher}-m${index}`);
        }),
      );

      await deliveredWithin(
        () => received.distinct().size === 1000,
        () => `got ${received.distinct().size}`,
      );
      expect(received.distinct().size).toBe(50 * perPublisher);
    });

    it('keeps 20 topics apart: each subscriber gets exactly its own messages', async () => {
      const bus = await newBus();
      const topics = Array.from({ length: 20 }, (_, index) => uniqueName(`contract-multi-${index}`));
      const received = topics.map(() => new Received());
      await Promise.all(topics.map((topic, index) => bus.subscribe(topic, received[index]!.handler)));

      await Promise.all(
        topics.flatMap((topic) =>
          Array.from({ length: 10 }, (_, index) => bus.publish(topic, `${topic}#${index}`)),
        ),
      );

      await deliveredWithin(
        () => received.every((r) => r.messages.length >= 10),
        () => received.map((r) => r.messages.length).join(','),
      );
      topics.forEach((topic, index) => {
        const bodies = received[index]!.distinct();
        expect(bodies.size).toBe(10);
        for (const body of bodies) expect(body.startsWith(`${topic}#`)).toBe(true);
      });
    });

    it('retries a handler that fails its first two attempts until every message arrives', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-retry');
      const attempts = new Map<string, number[]>();
      const handled = new Set<string>();
      await bus.subscribe(topic, (message, context) => {
        const body = text(message);
        attempts.set(body, [...(attempts.get(body) ?? []), context.attempt]);
        if (context.attempt < 3) return Promise.reject(new Error(`transient failure ${context.attempt}`));
        handled.add(body);
        return Promise.resolve();
      });

      await Promise.all(Array.from({ length: 20 }, (_, index) => bus.publish(topic, `m${index}`)));

      await deliveredWithin(
        () => handled.size === 20,
        () => `handled ${handled.size}`,
      );
      for (const seen of attempts.values()) expect(seen).toEqual([1, 2, 3]);
    });

    it('dead-letters exactly the messages whose handler always fails, with the reason, while others flow', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-dlq');
      const handled = new Received();
      const deadLetters = new Received();
      await bus.subscribe(`${topic}.dlq`, deadLetters.handler, { group: 'dlq-inspector' });
      await bus.subscribe(topic, (message, context) => {
        if (text(message).startsWith('poison')) return Promise.reject(new Error('cannot digest poison'));
        return handled.handler(message, context);
      });

      const bodies = Array.from({ length: 30 }, (_, index) =>
        index % 10 === 3 ? `poison-${index}` : `ok-${index}`,
      );
      for (const body of bodies) await bus.publish(topic, body, { headers: { 'x-origin': 'contract' } });

      await deliveredWithin(
        () => deadLetters.distinct().size === 3 && handled.distinct().size === 27,
        () => `dead ${deadLetters.distinct().size}, handled ${handled.distinct().size}`,
      );
      expect([...deadLetters.distinct()].sort()).toEqual(['poison-13', 'poison-23', 'poison-3']);
      for (const { context } of deadLetters.messages) {
        expect(context.headers[DeadLetterHeader.originalTopic]).toBe(topic);
        expect(context.headers[DeadLetterHeader.attempts]).toBe('3');
        expect(context.headers[DeadLetterHeader.error]).toContain('cannot digest poison');
        expect(context.headers['x-origin']).toBe('contract');
      }
    });

    it('handles each key in publish order over 16 keys while failures are injected', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-order');
      const perKey = 25;
      const order = new Map<string, number[]>();
      let injected = 0;
      await bus.subscribe(
        topic,
        (message, context) => {
          const [key, sequence] = text(message).split(':') as [string, string];
          const index = Number(sequence);
          // Every 7th message fails once: its key must wait for the retry.
          if (index % 7 === 0 && context.attempt === 1) {
            injected++;
            return Promise.reject(new Error('injected'));
          }
          order.set(key, [...(order.get(key) ?? []), index]);
          return Promise.resolve();
        },
        { concurrency: 8 },
      );

      const keys = Array.from({ length: 16 }, (_, index) => `key-${index}`);
      for (let index = 0; index < perKey; index++) {
        await Promise.all(keys.map((key) => bus.publish(topic, `${key}:${index}`, { key })));
      }

      const total = (): number => [...order.values()].reduce((sum, list) => sum + list.length, 0);
      await deliveredWithin(
        () => total() >= keys.length * perKey,
        () => `handled ${total()}`,
      );
      expect(injected).toBeGreaterThanOrEqual(keys.length * 4);
      for (const key of keys) {
        const seen = order.get(key)!;
        const firstOccurrences = seen.filter((value, index) => seen.indexOf(value) === index);
        expect(firstOccurrences).toEqual(Array.from({ length: perKey }, (_, index) => index));
      }
    });

    it('gives every group every message', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-groups');
      const billing = new Received();
      const audit = new Received();
      await bus.subscribe(topic, billing.handler, { group: uniqueName('billing') });
      await bus.subscribe(topic, audit.handler, { group: uniqueName('audit') });

      await Promise.all(Array.from({ length: 40 }, (_, index) => bus.publish(topic, `m${index}`)));

      await deliveredWithin(
        () => billing.distinct().size === 40 && audit.distinct().size === 40,
        () => `billing ${billing.distinct().size}, audit ${audit.distinct().size}`,
      );
    });

    it('shares a group between two subscribers with nothing lost and nothing handled by both', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-competing');
      const group = uniqueName('workers');
      const first = new Received();
      const second = new Received();
      await bus.subscribe(topic, first.handler, { group });
      await bus.subscribe(topic, second.handler, { group });

      await Promise.all(
        Array.from({ length: 200 }, (_, index) => bus.publish(topic, `m${index}`, { key: `k${index}` })),
      );

      const union = (): Set<string> => new Set([...first.bodies, ...second.bodies]);
      await deliveredWithin(
        () => union().size === 200,
        () => `got ${union().size}`,
      );
      const both = [...first.distinct()].filter((body) => second.distinct().has(body));
      const redelivered = [...first.messages, ...second.messages].filter((m) => m.context.attempt > 1);
      expect(both.length).toBeLessThanOrEqual(redelivered.length);
      expect(first.messages.length).toBeGreaterThan(0);
      expect(second.messages.length).toBeGreaterThan(0);
    });

    (features.persistent ? it : it.skip)(
      'continues where it stopped after unsubscribe and resubscribe',
      async () => {
        const bus = await newBus();
        const topic = uniqueName('contract-resume');
        const group = uniqueName('resumer');
        const before = new Received();
        const subscription = await bus.subscribe(topic, before.handler, { group });
        for (let index = 0; index < 10; index++) await bus.publish(topic, `m${index}`);
        await deliveredWithin(
          () => before.distinct().size === 10,
          () => `before ${before.distinct().size}`,
        );
        await subscription.unsubscribe();

        for (let index = 10; index < 20; index++) await bus.publish(topic, `m${index}`);
        const after = new Received();
        await bus.subscribe(topic, after.handler, { group });

        await deliveredWithin(
          () => after.distinct().size >= 10,
          () => `after ${after.distinct().size}`,
        );
        const expected = Array.from({ length: 10 }, (_, index) => `m${index + 10}`);
        expect([...after.distinct()].filter((body) => expected.includes(body)).sort()).toEqual(
          expected.sort(),
        );
      },
    );

    it('flushes pending publishes on close() and can be closed twice', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-close');
      const group = uniqueName('closer');
      const received = new Received();
      await bus.subscribe(topic, received.handler, { group });

      const pending = Array.from({ length: 100 }, (_, index) => bus.publish(topic, `m${index}`));
      await bus.close();
      await expect(Promise.all(pending)).resolves.toHaveLength(100);
      await expect(bus.close()).resolves.toBeUndefined();

      if (features.persistent) {
        // What the closed bus did not consume itself must be waiting for the group.
        const reader = await newBus();
        await reader.subscribe(topic, received.handler, { group });
      }
      await deliveredWithin(
        () => received.distinct().size === 100,
        () => `got ${received.distinct().size}`,
      );
    });

    it('settles every subscribe still starting before close() resolves, leaving no consumer behind', async () => {
      const bus = await newBus();
      const group = uniqueName('interrupted');
      const topics = Array.from({ length: 5 }, (_, index) => uniqueName(`contract-interrupted-${index}`));
      const stray = new Received();
      const outcomes: PromiseSettledResult<unknown>[] = [];
      const subscribing = topics.map((topic) =>
        bus.subscribe(topic, stray.handler, { group }).then(
          (subscription) => outcomes.push({ status: 'fulfilled', value: subscription }),
          (error: unknown) => outcomes.push({ status: 'rejected', reason: error }),
        ),
      );
      await bus.close();

      // A subscribe that went on after the close would start a consumer nothing stops any more.
      expect(outcomes).toHaveLength(topics.length);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(EventBusClosedError);
      await Promise.all(subscribing);

      const reader = await newBus();
      const received = new Received();
      await Promise.all(topics.map((topic) => reader.subscribe(topic, received.handler, { group })));
      await Promise.all(
        topics.flatMap((topic) =>
          Array.from({ length: 6 }, (_, index) =>
            reader.publish(topic, `${topic}#${index}`, { key: `k${index}` }),
          ),
        ),
      );
      await deliveredWithin(
        () => received.distinct().size === topics.length * 6,
        () => `got ${received.distinct().size}`,
      );
      expect(stray.messages).toHaveLength(0);
    });

    it('delivers every publish made before close(), also those still preparing their topic', async () => {
      const bus = await newBus();
      const topics = Array.from({ length: 5 }, (_, index) => uniqueName(`contract-closing-${index}`));
      const outcomes: unknown[] = [];
      const publishing = topics.map((topic) =>
        bus.publish(topic, topic).then(
          () => outcomes.push('published'),
          (error: unknown) => outcomes.push(error),
        ),
      );
      await bus.close();

      // A publish still running after close() would be sent, or fail, by a bus already gone.
      expect(outcomes).toEqual(topics.map(() => 'published'));
      await Promise.all(publishing);
      if (!features.persistent) return;
      const reader = await newBus();
      const received = new Received();
      await Promise.all(
        topics.map((topic) => reader.subscribe(topic, received.handler, { startFrom: 'earliest' })),
      );
      await deliveredWithin(
        () => received.distinct().size === topics.length,
        () => `got ${[...received.distinct()].join(', ')}`,
      );
    });

    it('rejects publish and subscribe after close with a typed error', async () => {
      const bus = await newBus();
      await bus.close();
      await expect(bus.publish(uniqueName('contract-closed'), 'late')).rejects.toBeInstanceOf(
        EventBusClosedError,
      );
      await expect(
        bus.subscribe(uniqueName('contract-closed'), () => Promise.resolve()),
      ).rejects.toBeInstanceOf(EventBusClosedError);
    });

    it('passes its health check while open and fails it after close', async () => {
      const bus = await newBus();
      await expect(bus.healthCheck()).resolves.toBeUndefined();
      await bus.close();
      await expect(bus.healthCheck()).rejects.toThrow(/closed/);
    });

    it('rejects bad input with typed errors and keeps working', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-bad-input');
      const received = new Received();
      await bus.subscribe(topic, received.handler);

      await expect(bus.publish('', 'x')).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(bus.publish('has space', 'x')).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(bus.publish(topic, 42 as unknown as string)).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(bus.publish(topic, { a: 1 } as unknown as string)).rejects.toBeInstanceOf(
        InvalidMessageError,
      );
      await expect(
        bus.publish(topic, 'x', { headers: { n: 1 as unknown as string } }),
      ).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(
        bus.publish(topic, new Uint8Array(CONTRACT_OPTIONS.maxMessageBytes + 1)),
      ).rejects.toBeInstanceOf(MessageTooLargeError);
      await expect(bus.subscribe('', received.handler)).rejects.toBeInstanceOf(InvalidTopicError);

      await bus.publish(topic, 'still fine');
      await deliveredWithin(
        () => received.bodies.includes('still fine'),
        () => received.bodies.join(','),
      );
    });

    it('publishes everything sent under a live signal, and nothing once it has aborted', async () => {
      const bus = await newBus();
      const topic = uniqueName('contract-signal');
      const received = new Received();
      await bus.subscribe(topic, received.handler);
      const batch = new AbortController();

      // As the outbox relay sends a batch: keys, headers and one deadline shared by every publish.
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          bus.publish(topic, `m${index}`, {
            key: `k${index % 5}`,
            headers: { n: `${index}` },
            signal: batch.signal,
          }),
        ),
      );
      batch.abort();
      await expect(
        bus.publish(topic, 'aborted', { key: 'last', signal: batch.signal }),
      ).rejects.toBeInstanceOf(PublishAbortedError);
      await bus.publish(topic, 'after', { key: 'last' });

      // Same key: had the aborted publish gone out, it would be handled before 'after'.
      await deliveredWithin(
        () => received.bodies.includes('after') && received.distinct().size >= 51,
        () => `got ${received.distinct().size}`,
      );
      expect(received.bodies).not.toContain('aborted');
      expect(received.distinct().size).toBe(51);
    });
  });
}
