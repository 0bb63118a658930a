/** The longest wait between reconnect attempts once `maxReconnects` is spent. */
export const MAX_RECONNECT_WAIT = 5_000;
const BACKOFF_FLOOR = 250;
/** Spreads the attempts of many instances after a shared outage. */
const JITTER = 0.2;

/**
 * How long the client waits before each reconnect attempt. The seed's `maxReconnects` attempts
 * (-1: all of them) come `reconnectWait` apart; after those the bus does not give up, as the client
 * alone would, but keeps trying with the wait doubling up to MAX_RECONNECT_WAIT. An outage of any
 * length therefore ends with a reconnect at most a few seconds after the server is back.
 */
export class NatsReconnectPacing {
  private attempts = 0;

  constructor(
    private readonly maxReconnects: number,
    private readonly reconnectWait: number,
  ) {}

  /** Failed or running attempts since the connection was last up. */
  get attemptsSinceConnected(): number {
    return this.attempts;
  }

  /** Whether the seed's `maxReconnects` attempts are used up and the backoff has taken over. */
  get backingOff(): boolean {
    return this.maxReconnects !== -1 && this.attempts >= this.maxReconnects;
  }

  /** Counts an attempt; true when it is the first past `maxReconnects`, where the backoff begins. */
  attempted(): boolean {
    this.attempts++;
    return this.maxReconnects !== -1 && this.attempts === this.maxReconnects + 1;
  }

  connected(): void {
    this.attempts = 0;
  }

  /** The client asks this before each attempt. */
  delay(): number {
    let wait = this.reconnectWait;
    if (this.backingOff) {
      const doublings = Math.min(this.attempts - this.maxReconnects + 1, 20);
      // From at least BACKOFF_FLOOR, so a reconnectWait of 0 does not become a busy loop.
      const doubled = Math.max(this.reconnectWait, BACKOFF_FLOOR) * 2 ** doublings;
      wait = Math.min(Math.max(this.reconnectWait, MAX_RECONNECT_WAIT), doubled);
    }
    return Math.round(wait * (1 - JITTER / 2 + Math.random() * JITTER));
  }
}
