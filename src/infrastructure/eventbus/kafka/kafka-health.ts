import { type Admin, type Kafka } from 'kafkajs';

/**
 * Asks the broker for cluster metadata, bounded in time: the bus is healthy only while this
 * answers. A failed probe drops its admin client, so the next one connects afresh.
 */
export class KafkaHealthProbe {
  private admin: Admin | undefined;

  constructor(private readonly kafka: () => Kafka) {}

  async probe(timeout: number, signal?: AbortSignal): Promise<void> {
    const admin = (this.admin ??= this.kafka().admin({ retry: { retries: 0 } }));
    try {
      await withDeadline(
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        timeout,
        signal,
      );
    } catch (error) {
      if (this.admin === admin) this.admin = undefined;
      admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

/** Runs the probe every `kafka.healthCheckInterval` and reports a failure, so a lost broker is noticed while idle. */
export class KafkaHealthMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly check: () => Promise<void>,
    private readonly interval: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), this.interval);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Settles like `work`, or rejects when `timeout` ms pass or `signal` aborts first. */
export async function withDeadline<T>(work: Promise<T>, timeout: number, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the broker within ${timeout} ms`)), timeout);
    onAbort = () => reject(new Error('the health check was aborted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
