import { type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { NatsFetcher } from '../../../../../src/infrastructure/eventbus/nats/nats-fetcher';
import { type NatsPulledMessage } from '../../../../../src/infrastructure/eventbus/nats/nats-pulled-message';
import { silentLogger } from '../../../../../src/infrastructure/eventbus/logger';

type Callback = (error: Error | null, msg: Msg) => void;

/** A connection that records pull requests and lets the test answer them. */
class FakeConnection {
  readonly requests: { inbox: string; batch: number }[] = [];
  readonly unsubscribed = new Set<string>();
  private readonly callbacks = new Map<string, Callback>();

  subscribe(subject: string, options: { callback: Callback }): Subscription {
    this.callbacks.set(subject, options.callback);
    return { unsubscribe: () => this.unsubscribed.add(subject) } as unknown as Subscription;
  }

  publish(_subject: string, body: string, options: { reply: string }): void {
    this.requests.push({ inbox: options.reply, batch: (JSON.parse(body) as { batch: number }).batch });
  }

  deliver(inbox: string, seq: number): void {
    const msg = { subject: 'orders', reply: `$JS.ACK.S.C.1.${seq}.${seq}.0.0`, data: new Uint8Array() };
    this.callbacks.get(inbox)!(null, msg as unknown as Msg);
  }

  status(inbox: string, code: number): void {
    const msg = { subject: inbox, headers: { code, description: 'status' }, data: new Uint8Array() };
    this.callbacks.get(inbox)!(null, msg as unknown as Msg);
  }
}

function fetcher(connection: FakeConnection, window: number) {
  const received: number[] = [];
  const recreate = jest.fn(() => Promise.resolve());
  const instance = new NatsFetcher({
    connection: connection as unknown as NatsConnection,
    stream: 'S',
    consumer: 'C',
    window: () => window,
    held: () => 0,
    onMessage: (message: NatsPulledMessage) => received.push(message.seq),
    recreate,
    logger: silentLogger,
    labels: { topic: 'orders', group: 'g' },
  });
  return { instance, received, recreate };
}

describe('NatsFetcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks for the free room of the window once a quarter of it is free', () => {
    const connection = new FakeConnection();
    const { instance } = fetcher(connection, 8);
    instance.pump();
    instance.pump();
    expect(connection.requests.map((request) => request.batch)).toEqual([8]);

    const [first] = connection.requests;
    connection.deliver(first!.inbox, 1);
    instance.pump();
    expect(connection.requests).toHaveLength(1);
    connection.deliver(first!.inbox, 2);
    connection.status(first!.inbox, 408);
    expect(connection.requests.map((request) => request.batch)).toEqual([8, 8]);
    expect(connection.unsubscribed.has(first!.inbox)).toBe(true);
  });

  it('gives up a request the server never answers, checks the topology, and still takes its late messages', async () => {
    const connection = new FakeConnection();
    const { instance, received, recreate } = fetcher(connection, 4);
    instance.pump();
    const [lost] = connection.requests;

    await jest.advanceTimersByTimeAsync(2_500);
    expect(recreate).toHaveBeenCalledTimes(1);
    expect(connection.requests.length).toBeGreaterThan(1);
    expect(connection.unsubscribed.has(lost!.inbox)).toBe(false);

    connection.deliver(lost!.inbox, 7);
    expect(received).toEqual([7]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(connection.unsubscribed.has(lost!.inbox)).toBe(true);
  });

  it('after a reconnect gives up its old requests and pulls at once, cutting a backoff short', async () => {
    const connection = new FakeConnection();
    const { instance, received, recreate } = fetcher(connection, 4);
    instance.pump();
    // Unanswered requests, one after another: the backoff between them grows towards its cap of 2 s.
    await jest.advanceTimersByTimeAsync(12_000);
    // Just after the next give-up the fetcher has re-checked the topology and sleeps for over 1.5 s.
    const checks = recreate.mock.calls.length;
    while (recreate.mock.calls.length === checks) await jest.advanceTimersByTimeAsync(50);
    const stale = connection.requests.at(-1)!;
    const sleeping = connection.requests.length;
    await jest.advanceTimersByTimeAsync(500);
    expect(connection.requests.length).toBe(sleeping);

    instance.resume();
    await jest.advanceTimersByTimeAsync(0);
    expect(recreate).toHaveBeenCalledTimes(checks + 2);
    expect(connection.requests.length).toBe(sleeping + 1);
    expect(connection.requests.at(-1)!.batch).toBe(4);

    // A message for a request from before the reconnect is still taken.
    connection.deliver(stale.inbox, 3);
    expect(received).toEqual([3]);
  });

  it('stops once the requests in progress have ended', async () => {
    const connection = new FakeConnection();
    const { instance } = fetcher(connection, 4);
    instance.pump();
    let stopped = false;
    void instance.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);

    connection.status(connection.requests[0]!.inbox, 408);
    await Promise.resolve();
    expect(stopped).toBe(true);
    expect(connection.requests).toHaveLength(1);
  });
});
