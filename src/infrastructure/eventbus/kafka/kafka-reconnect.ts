import { type ReconnectCallback } from '../event-bus';
import { describeError } from '../describe-error';
import { sleep } from '../delivery/retry-policy';
import { type EventBusLogger } from '../logger';
import { type ConnectionSeries } from '../metrics/series';

export interface ReconnectTarget {
  /** Rejects while the broker is unreachable. */
  probe(): Promise<void>;
  /**
   * A fresh producer; crashed consumers restart in the background (from their committed offsets),
   * each reporting here if it fails.
   */
  restart(): Promise<void>;
}

/** Waits between reconnect attempts: 250 ms doubling to 5 s. */
const FIRST_BACKOFF = 250;
const MAX_BACKOFF = 5_000;

/**
 * The bus's connection state. Any component that sees the broker go away (a consumer crash, a
 * produce failing for want of a connection, a failed probe) reports it here; one loop then probes
 * with backoff until the broker answers, restarts producer and consumers, counts the reconnect
 * and runs the reconnect callbacks.
 */
export class KafkaReconnector {
  private down = false;
  private lastError: string | undefined;
  private readonly callbacks: ReconnectCallback[] = [];
  private readonly closed = new AbortController();

  constructor(
    private readonly target: ReconnectTarget,
    private readonly connection: ConnectionSeries,
    private readonly logger: EventBusLogger,
  ) {}

  /** Undefined while connected; else why the bus is reconnecting. */
  get outage(): string | undefined {
    return this.down ? (this.lastError ?? 'reconnecting') : undefined;
  }

  register(callback: ReconnectCallback): void {
    this.callbacks.push(callback);
  }

  reportFailure(error: unknown, source: string): void {
    // While down, the loop's restart covers it; once up (even while callbacks run), a new loop must.
    if (this.closed.signal.aborted || this.down) return;
    this.lastError = `${source}: ${describeError(error)}`;
    this.down = true;
    this.connection.connectionErrors++;
    this.connection.healthy = 0;
    this.logger.error({ err: error, source }, 'kafka connection lost, reconnecting');
    void this.reconnect();
  }

  close(): void {
    this.closed.abort();
  }

  private async reconnect(): Promise<void> {
    const signal = this.closed.signal;
    for (let attempt = 0; ; attempt++) {
      if (!(await sleep(Math.min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** attempt), signal))) return;
      try {
        await this.target.probe();
        await this.target.restart();
      } catch (error) {
        if (signal.aborted) return;
        this.connection.connectionErrors++;
        this.lastError = `reconnect attempt ${attempt + 1}: ${describeError(error)}`;
        this.logger.warn({ err: error, attempt: attempt + 1 }, 'kafka reconnect attempt failed');
        continue;
      }
      this.connection.reconnects++;
      this.down = false;
      this.lastError = undefined;
      this.logger.info({ attempts: attempt + 1 }, 'kafka reconnected');
      await this.runCallbacks(signal);
      return;
    }
  }

  private async runCallbacks(signal: AbortSignal): Promise<void> {
    for (const callback of this.callbacks) {
      try {
        await callback({ signal });
      } catch (error) {
        this.logger.warn({ err: error }, 'reconnect callback failed');
      }
    }
  }
}
