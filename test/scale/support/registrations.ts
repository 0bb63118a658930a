/** How one request ended, and which instance it went to. */
export type Outcome =
  | { readonly kind: 'ok'; readonly id: string; readonly instance: string }
  | { readonly kind: 'refused'; readonly instance: string; readonly status: number; readonly body: string }
  | { readonly kind: 'failed'; readonly instance: string; readonly reason: string };

/** An instance a client can send to: its name (for the figures) and base URL. */
export interface Target {
  readonly name: string;
  readonly base: string;
}

const REQUEST_TIMEOUT = 15_000;

async function send(target: Target, path: string, method: string, body: unknown): Promise<Outcome> {
  try {
    const response = await fetch(`${target.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201) {
      return { kind: 'refused', instance: target.name, status: response.status, body: text };
    }
    // 201 {id} for a registration, 200 with the user for a rename.
    return { kind: 'ok', id: (JSON.parse(text) as { id: string }).id, instance: target.name };
  } catch (error) {
    // A connection reset by a killed instance: the client never learns whether it was committed.
    const { message, cause } = error as { message?: unknown; cause?: { code?: unknown } };
    return { kind: 'failed', instance: target.name, reason: String(cause?.code ?? message ?? error) };
  }
}

export function register(target: Target, email: string, name: string): Promise<Outcome> {
  return send(target, '/users', 'POST', { email, name });
}

export function rename(target: Target, userId: string, name: string): Promise<Outcome> {
  return send(target, `/users/${userId}`, 'PATCH', { name });
}

/**
 * Runs `work(index)` for every index below `count`, at most `inFlight` at a time: a client with a
 * connection pool of that size.
 */
export async function forEachBounded<R>(
  count: number,
  inFlight: number,
  work: (index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) results[index] = await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return results;
}

/**
 * POST /users at a fixed rate, open loop (a slow answer does not delay the next request), each to
 * the next of `targets()` in turn: a load balancer's round robin over the instances it sends to.
 */
export class SteadyRegistrations {
  readonly outcomes: Outcome[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;

  constructor(
    private readonly targets: () => readonly Target[],
    private readonly perSecond: number,
    private readonly label: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.send(), 1000 / this.perSecond);
  }

  /** Stops sending and waits for every answer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  private send(): void {
    const targets = this.targets();
    if (targets.length === 0) return;
    const n = this.sent++;
    const target = targets[n % targets.length]!;
    const request = register(target, `${this.label}-${n}@example.com`, `Steady ${n}`)
      .then((outcome) => void this.outcomes.push(outcome))
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }
}

export function createdIds(outcomes: readonly Outcome[]): string[] {
  return outcomes.flatMap((outcome) => (outcome.kind === 'ok' ? [outcome.id] : []));
}
