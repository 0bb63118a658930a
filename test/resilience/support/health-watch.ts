/** A change of a health route's answer, when a poll saw it (performance clock). */
export interface HealthChange {
  readonly at: number;
  readonly ok: boolean;
  /** What a not-ok answer said (its `error`), or why the poll got none. */
  readonly reason?: string;
}

const POLL_MS = 250;

/**
 * Polls a health route (GET, 200 = ok) every 250 ms and records each change (of state, or of the
 * reason given for not being ok), as a load balancer or an orchestrator would see the service. A
 * poll that gets no answer within a second counts as not ok.
 */
export class HealthWatch {
  readonly changes: HealthChange[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly url: string) {
    this.loop = this.poll();
  }

  /** The state now (the last change). */
  get ok(): boolean {
    return this.changes.at(-1)?.ok ?? false;
  }

  /** When the route first answered `ok` after `since`, or undefined if it has not. */
  firstAfter(since: number, ok: boolean): number | undefined {
    return this.changes.find((change) => change.at >= since && change.ok === ok)?.at;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      const { ok, reason } = await fetch(this.url, { signal: AbortSignal.timeout(POLL_MS * 4) }).then(
        async (response) =>
          response.status === 200
            ? { ok: true, reason: undefined }
            : { ok: false, reason: await errorOf(response) },
        (error: unknown) => ({ ok: false, reason: `no answer: ${String(error)}` }),
      );
      // Stamped when the answer came (or the poll gave up): what a prober knows, and when.
      const last = this.changes.at(-1);
      if (last?.ok !== ok || last.reason !== reason) this.changes.push({ at: performance.now(), ok, reason });
      const rest = POLL_MS - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }
}

async function errorOf(response: Response): Promise<string> {
  const body = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    return typeof error === 'string' ? error : `${response.status}`;
  } catch {
    return `${response.status} ${body.slice(0, 100)}`;
  }
}
