import { createInbox, type NatsConnection } from '@nats-io/transport-node';
import { type JetStreamManager } from '@nats-io/jetstream';

/** Messages asked for by one pull request; two are outstanding, max_ack_pending's worth. */
const PULL_BATCH = 500;
/** How long a pull request waits on the server for messages, in nanoseconds (JetStream's unit). */
const PULL_EXPIRES = 5_000_000_000;
const TIMEOUT = 60_000;

/**
 * The NATS consume limit: a JetStream pull consumer at its protocol's floor. Pull requests go to
 * `$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>` with one inbox of ours as the reply subject; every
 * message is acknowledged on arrival by an empty publish to its reply subject (+ACK). A new pull
 * goes out each time a batch has arrived, so two batches are requested at any time, the consumer's
 * max_ack_pending (1,000). Reads `count` messages of a full stream from its start, in a new durable
 * consumer; messages/s from the first pull to the last message.
 */
export async function natsPullConsumeLimit(
  connection: NatsConnection,
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  count: number,
): Promise<number> {
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: 'explicit',
    max_ack_pending: 2 * PULL_BATCH,
  });
  const inbox = createInbox();
  const next = `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`;
  const pullRequest = new TextEncoder().encode(JSON.stringify({ batch: PULL_BATCH, expires: PULL_EXPIRES }));
  const pull = (): void => connection.publish(next, pullRequest, { reply: inbox });
  let received = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const subscription = connection.subscribe(inbox, {
    callback: (error, message) => {
      // Status messages (no messages yet, pull expired) have no reply subject and no data.
      if (error || !message.reply) return;
      connection.publish(message.reply);
      if (++received === count) finish();
      else if (received % PULL_BATCH === 0) pull();
    },
  });
  try {
    const started = performance.now();
    pull();
    pull();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${received} of ${count} messages arrived`)), TIMEOUT);
    });
    await Promise.race([finished, timedOut]).finally(() => clearTimeout(timer));
    return count / ((performance.now() - started) / 1000);
  } finally {
    subscription.unsubscribe();
    await jsm.consumers.delete(stream, durable);
  }
}
