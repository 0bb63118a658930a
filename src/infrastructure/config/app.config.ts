import type { TenancyMode } from '../context/tenant';
import type { EventBusConfig } from '../eventbus';
import type { DatabaseConfig, InboxConfig, OutboxConfig } from './persistence.config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServiceConfig {
  name: string;
  port: number;
  /** Max JSON body size in express/`bytes` notation, e.g. '100kb'. */
  bodyLimit: string;
  logLevel: LogLevel;
  /** Where the tenant comes from: see TenancyMode. */
  tenancy: TenancyMode;
  /** Longest a request may take to arrive in full (headers and body); then 408. */
  requestTimeout: number;
  /** Longest the headers may take to arrive; then 408. Slow-header clients hold no socket longer. */
  headersTimeout: number;
  /** Open connections at most; more are refused at accept. */
  maxConnections: number;
  /** Serve GET /health/details (why each check fails: broker addresses, error names). */
  healthDetails: boolean;
  notifications: NotificationsConfig;
}

/** The notifications context. */
export interface NotificationsConfig {
  /** Milliseconds each notification's delivery takes: stands for an external provider's call. */
  deliveryLatency: number;
}

/** The whole service configuration: the YAML top level is `{ service, database, outbox, inbox, eventbus }`. */
export interface AppConfig {
  service: ServiceConfig;
  database: DatabaseConfig;
  outbox: OutboxConfig;
  inbox: InboxConfig;
  eventbus: EventBusConfig;
}

export function getDefaultServiceConfig(): ServiceConfig {
  return {
    name: 'user-service',
    port: 3000,
    bodyLimit: '100kb',
    logLevel: 'info',
    tenancy: 'off',
    requestTimeout: 30_000,
    headersTimeout: 10_000,
    maxConnections: 1_000,
    healthDetails: false,
    notifications: { deliveryLatency: 0 },
  };
}
