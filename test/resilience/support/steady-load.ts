/** One POST /users and how it ended. */
export interface LoadResult {
  readonly sentAt: number;
  readonly status: number;
  readonly ms: number;
  /** The new user's id, on 201. */
  readonly id?: string;
  readonly retryAfter?: string;
}

/**
 * POST /users at a fixed rate, open loop (a slow answer does not slow the next request down, as
 * with real clients), each with a new email. Status 0 means no HTTP answer at all.
 */
export class SteadyLoad {
  readonly results: LoadResult[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;

  constructor(
    private readonly baseUrl: string,
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
    const n = ++this.sent;
    const sentAt = performance.now();
    const request = fetch(`${this.baseUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${this.label}-${process.pid}-${n}@example.com`, name: `Load ${n}` }),
      signal: AbortSignal.timeout(60_000),
    })
      .then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as { id?: string };
        this.results.push({
          sentAt,
          status: response.status,
          ms: performance.now() - sentAt,
          ...(body.id !== undefined && { id: body.id }),
          ...(response.headers.has('retry-after') && { retryAfter: response.headers.get('retry-after')! }),
        });
      })
      .catch(() => {
        this.results.push({ sentAt, status: 0, ms: performance.now() - sentAt });
      })
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }
}
