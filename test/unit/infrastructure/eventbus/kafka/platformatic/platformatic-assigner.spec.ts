import { subscriptionAwareAssigner } from '../../../../../../src/infrastructure/eventbus/kafka/platformatic/platformatic-assigner';

type Metadata = Parameters<typeof subscriptionAwareAssigner>[3];

const metadata = (partitions: Record<string, number>): Metadata =>
  ({
    topics: new Map(Object.entries(partitions).map(([topic, count]) => [topic, { partitionsCount: count }])),
  }) as unknown as Metadata;

const member = (memberId: string, topics: string[]) => [memberId, { memberId, topics, version: 0 }] as const;

describe('subscriptionAwareAssigner (@platformatic/kafka)', () => {
  it('gives each topic only to the members subscribed to it, evenly', () => {
    const members = new Map([
      member('a', ['orders']),
      member('b', ['orders', 'users']),
      member('c', ['users']),
    ]);
    const result = subscriptionAwareAssigner(
      'a',
      members,
      new Set(['orders']),
      metadata({ orders: 2, users: 2 }),
    );
    const owned = Object.fromEntries(
      result.map(({ memberId, assignments }) => [
        memberId,
        Object.fromEntries([...assignments.values()].map(({ topic, partitions }) => [topic, partitions])),
      ]),
    );
    expect(owned).toEqual({ a: { orders: [0] }, b: { orders: [1], users: [0] }, c: { users: [1] } });
  });
});
