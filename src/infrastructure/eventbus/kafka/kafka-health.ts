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
