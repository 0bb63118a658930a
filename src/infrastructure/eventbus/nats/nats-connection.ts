import { connect, type NatsConnection as NatsClientConnection, type Status } from '@nats-io/transport-node';
import { type NatsConfig } from '../config/event-bus.config';
import { createStopController } from '../delivery/stop-signal';
import { describeError } from '../describe-error';
import { type ReconnectCallback } from '../event-bus';
import { type EventBusLogger } from '../logger';
import { type ConnectionSeries } from '../metrics/series';
import { waitWithTimeout } from '../subscription-options';
import { describeNatsAuth, natsConnectionOptions, parseNatsUrl } from './nats-connection-options';
import { describeConnectFailure, NatsConnectionError } from './nats-errors';
import { MAX_RECONNECT_WAIT, NatsReconnectPacing } from './nats-reconnect-pacing';

/** The configured URLs without credentials, for messages and logs. */
export function redactedUrls(config: NatsConfig): string {
  return config.urls
    .map((url) => {
      const address = parseNatsUrl(url);
      return `${address.tls ? 'tls' : 'nats'}://${address.server}`;
    })
    .join(', ');
}

/**
 * The client connection and what its status events mean for the bus: `disconnect` marks it
 * unhealthy and counts a connection error, `reconnect` counts a reconnect and runs the reconnect
 * callbacks (the bus's own first, then the registered ones, one after the other). The client
 * reconnects for as long as the bus runs (see NatsReconnectPacing); it closes by itself only on
 * what no reconnect can mend, such as credentials the server keeps refusing.
 */
export class NatsConnection {
  private connected = true;
  private lastError: string | undefined;
  /** Why the client closed by itself; undefined while it runs or after close(). */
  private closedForGood: string | undefined;
  private readonly callbacks: ReconnectCallback[] = [];
  private readonly stop = createStopController();
  private readonly watching: Promise<void>;

  private constructor(
    readonly client: NatsClientConnection,
    private readonly pacing: NatsReconnectPacing,
    private readonly series: ConnectionSeries,
    private readonly logger: EventBusLogger,
  ) {
    this.watching = this.watch();
    void client.closed().then((error) => {
      if (this.stop.signal.aborted) return;
      this.lastError = error ? describeError(error) : 'closed by the client';
      this.closedForGood = this.lastError;
      this.logger.error({ err: error }, 'NATS connection closed for good; the event bus cannot recover');
    });
  }

  /** Connects to the first server of `config.urls` that answers, trying each in turn. */
  static async open(
    config: NatsConfig,
    series: ConnectionSeries,
    logger: EventBusLogger,
  ): Promise<NatsConnection> {
    const pacing = new NatsReconnectPacing(config.maxReconnects, config.reconnectWait);
    const options = natsConnectionOptions(config, pacing);
    let client: NatsClientConnection;
    try {
      client = await connect(options);
    } catch (error) {
      series.connectionErrors++;
      const tls = options.tls ? (config.auth.tls ?? {}) : undefined;
      throw new NatsConnectionError(
        describeConnectFailure(error, redactedUrls(config), describeNatsAuth(config), tls),
        { cause: error },
      );
    }
    // The client drops a server that failed the first connect from its pool; put every URL back so
    // a server that was down at start-up is tried again on a later reconnect.
    client.setServers(options.servers as string[]);
    logger.info({ server: client.getServer(), name: config.clientId }, 'connected to NATS');
    return new NatsConnection(client, pacing, series, logger);
  }

  get isConnected(): boolean {
    return this.connected && !this.client.isClosed();
  }

  /** Why the connection cannot come back by itself, or undefined while it can. */
  get unrecoverableReason(): string | undefined {
    return this.closedForGood;
  }

  onReconnect(callback: ReconnectCallback): void {
    this.callbacks.push(callback);
  }

  /** Rejects naming the reason when the connection is down or closed. */
  assertUsable(): void {
    if (this.client.isClosed()) {
      throw new Error(`the NATS connection is closed${this.lastError ? `: ${this.lastError}` : ''}`);
    }
    if (!this.connected) {
      throw new Error(
        `disconnected from NATS (${this.client.getServer()}); reconnecting${this.lastError ? ` after: ${this.lastError}` : ''}`,
      );
    }
  }

  /** Flushes what the client still buffers (acks, naks), then closes; bounded by `timeout` ms. */
  async close(timeout: number): Promise<void> {
    this.stop.abort();
    if (!this.client.isClosed()) {
      const drained = this.client.drain().catch(() => undefined);
      if (!(await waitWithTimeout(drained, timeout))) await this.client.close();
    }
    await this.watching;
  }

  private async watch(): Promise<void> {
    for await (const status of this.client.status()) this.onStatus(status);
  }

  private onStatus(status: Status): void {
    switch (status.type) {
      case 'disconnect':
        this.connected = false;
        this.series.connectionErrors++;
        this.logger.warn({ server: status.server }, 'disconnected from NATS; reconnecting');
        return;
      case 'reconnecting':
        if (this.pacing.attempted()) {
          this.logger.error(
            { attempts: this.pacing.attemptsSinceConnected },
            `NATS still unreachable after nats.maxReconnects attempts; retrying with a backoff of up to ${MAX_RECONNECT_WAIT} ms`,
          );
        }
        return;
      case 'reconnect':
        this.pacing.connected();
        this.connected = true;
        this.lastError = undefined;
        this.series.reconnects++;
        this.logger.info({ server: status.server }, 'reconnected to NATS');
        void this.runCallbacks();
        return;
      case 'error':
        this.series.connectionErrors++;
        this.lastError = describeError(status.error);
        this.logger.error({ err: status.error }, 'NATS connection error');
        return;
      case 'ldm':
        this.logger.warn({ server: status.server }, 'NATS server entered lame duck mode; it will close soon');
        return;
      case 'staleConnection':
        this.logger.warn({}, 'NATS connection went stale; reconnecting');
        return;
      default:
        return;
    }
  }

  private async runCallbacks(): Promise<void> {
    for (const callback of this.callbacks) {
      if (this.stop.signal.aborted) return;
      try {
        await callback({ signal: this.stop.signal });
      } catch (error) {
        this.logger.error({ err: error }, 'reconnect callback failed');
      }
    }
  }
}
