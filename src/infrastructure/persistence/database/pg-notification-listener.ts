import { Client } from 'pg';
import type { Logger } from 'pino';
import type { NotificationListener } from './database';

export interface PgNotificationListenerOptions {
  readonly url: string;
  readonly channel: string;
  readonly onNotify: () => void;
  readonly connectionTimeout: number;
  readonly logger: Logger;
  /** How often the connection is proven alive; a dropped LISTEN connection is otherwise silent. */
  readonly heartbeatInterval?: number;
  readonly onClose?: () => void;
}

const INITIAL_RECONNECT_DELAY_MS = 500;
const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). A heartbeat
 * query notices a connection that died without an error event; after every reconnect `onNotify`
 * runs once, because notifications sent while the connection was down are gone.
 */
export class PgNotificationListener implements NotificationListener {
  private client: Client | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = INITIAL_RECONNECT_DELAY_MS;
  /** Set when a connection was lost or failed, so the next success triggers a catch-up. */
  private outage = false;
  private closed = false;

  constructor(private readonly options: PgNotificationListenerOptions) {}

  /** Resolves once listening; a first failure is logged and retried in the background, not thrown. */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    this.options.onClose?.();
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectionTimeout,
      query_timeout: this.options.connectionTimeout,
      keepAlive: true,
    });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.options.channel) this.options.onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(this.options.channel)}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.reconnectDelay = INITIAL_RECONNECT_DELAY_MS;
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => this.lost(client, error));
    }, this.options.heartbeatInterval ?? 10_000);
    this.heartbeat.unref();
    if (this.outage) {
      this.outage = false;
      this.options.logger.info({ channel: this.options.channel }, 'database listener reconnected');
      this.options.onNotify();
    }
  }

  private lost(client: Client, error: unknown): void {
    // Several events can report one loss; only the first, for the current client, acts.
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.outage = true;
    clearInterval(this.heartbeat);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.options.logger.warn(
      { channel: this.options.channel, err: error, retryInMs: this.reconnectDelay },
      'database listener lost its connection',
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
