import { jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LATENCY_RATE, sendAtRate, sentAt } from './fixed-rate-run';
import { median, percentile } from './stats';

/**
 * `npm run bench:nats-pauses`: where a NATS server's end-to-end latency tail comes from. Sends
 * 256 B messages at 1,000 msg/s with nats.js alone (no bus) for NATS_PAUSES_SECONDS (default 30)
 * and prints p50, p99 and the pauses: runs of messages later than 5 ms, each long one with when it
 * began (seconds after the stream was created), how many messages it held and the latest one's
 * age. The sender stamps a message as it sends it, so a pause that holds many messages, each about
 * a millisecond apart, was spent after they left this process. NATS_PAUSES_STORAGE picks the path:
 * `file` (a JetStream stream on disk, the default), `memory` (a stream in memory) or `core` (plain
 * NATS). It ends with what touching fresh memory costs on this machine, the cost a server pays
 * each time its heap grows, so runs on different machines can be compared.
 */
const LATE_MS = 5;
/** Late messages less than this far apart belong to one pause. */
const PAUSE_GAP_MS = 200;
/** Pauses listed one by one: those that held at least this many messages (10 ms at the rate). */
const LONG_PAUSE_MESSAGES = 10;

type Storage = 'file' | 'memory' | 'core';

interface Pause {
  readonly startedAt: number;
  messages: number;
  longest: number;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.NATS_PAUSES_SECONDS ?? 30);
  const storage = (process.env.NATS_PAUSES_STORAGE ?? 'file') as Storage;
  if (!['file', 'memory', 'core'].includes(storage))
    throw new Error(`NATS_PAUSES_STORAGE must be file, memory or core, got ${storage}`);
  const connection = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const subject = `pauses.${Date.now().toString(36)}`;
  const stream = subject.replace('.', '_');
  const jsm = await jetstreamManager(connection);
  if (storage !== 'core') await jsm.streams.add({ name: stream, subjects: [subject], storage });
  const createdAt = performance.now();
  try {
    const ages = await sendAndReceive(
      connection,
      jsm,
      subject,
      storage === 'core' ? undefined : stream,
      seconds,
    );
    report(storage, ages, createdAt);
    console.log(`fresh memory: ${freshMemoryMsPerMb().toFixed(2)} ms per MB filled`);
  } finally {
    if (storage !== 'core') await jsm.streams.delete(stream);
    await connection.close();
  }
}

/** Each message's send time and age, in the order received. */
async function sendAndReceive(
  connection: NatsConnection,
  jsm: JetStreamManager,
  subject: string,
  stream: string | undefined,
  seconds: number,
): Promise<[sent: number, age: number][]> {
  const total = seconds * LATENCY_RATE;
  const ages: [number, number][] = [];
  const record = (data: Uint8Array): void => {
    const sent = sentAt(data);
    ages.push([sent, performance.now() - sent]);
  };
  let receiving: Promise<void>;
  let publish: (payload: Uint8Array) => Promise<unknown>;
  if (stream) {
    const js = jsm.jetstream();
    await jsm.consumers.add(stream, { durable_name: 'pauses', ack_policy: 'explicit' });
    const messages = await js.consumers.get(stream, 'pauses').then((c) => c.consume());
    receiving = (async () => {
      for await (const message of messages as AsyncIterable<JsMsg>) {
        record(message.data);
        message.ack();
        // Ends the iteration; awaited here, inside it, it would wait for itself.
        if (ages.length === total) void messages.close();
      }
    })();
    publish = (payload) => js.publish(subject, payload);
  } else {
    const subscription = connection.subscribe(subject, { max: total });
    receiving = (async () => {
      for await (const message of subscription) record(message.data);
    })();
    publish = (payload) => Promise.resolve(connection.publish(subject, payload));
  }
  await sendAtRate(total, new Uint8Array(256), publish);
  await receiving;
  return ages;
}

function report(storage: Storage, ages: [number, number][], createdAt: number): void {
  const pauses: Pause[] = [];
  let lastLateAt = Number.NEGATIVE_INFINITY;
  for (const [sent, age] of ages) {
    if (age <= LATE_MS) continue;
    const current = pauses.at(-1);
    if (current && sent - lastLateAt < PAUSE_GAP_MS) {
      current.messages++;
      current.longest = Math.max(current.longest, age);
    } else pauses.push({ startedAt: (sent - createdAt) / 1000, messages: 1, longest: age });
    lastLateAt = sent;
  }
  const values = ages.map(([, age]) => age);
  const late = values.filter((age) => age > LATE_MS).length;
  console.log(
    `${storage}: ${values.length} messages, p50 ${percentile(values, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(values, 99).toFixed(2)} ms, ${((100 * late) / values.length).toFixed(2)}% later than ${LATE_MS} ms`,
  );
  const long = pauses.filter((pause) => pause.messages >= LONG_PAUSE_MESSAGES);
  console.log(
    `${pauses.length} pauses, ${long.length} of them holding ${LONG_PAUSE_MESSAGES} or more messages ` +
      '(s after the stream was created: messages, latest age):',
  );
  for (const pause of long)
    console.log(`  ${pause.startedAt.toFixed(1)} s: ${pause.messages}, ${pause.longest.toFixed(1)} ms`);
}

/** Fills newly allocated 16 MB buffers: the pages are new to the process, so each one faults in. */
function freshMemoryMsPerMb(): number {
  const megabytes = 16;
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    Buffer.alloc(megabytes * 1024 * 1024, 1);
    times.push((performance.now() - started) / megabytes);
  }
  return median(times);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
