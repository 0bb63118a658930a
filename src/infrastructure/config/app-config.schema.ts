import 'reflect-metadata';
import { Allow, IsOptional } from 'class-validator';
import { IsBool, IsDuration, IsIntIn, IsOneOf, IsSection, IsText } from '../eventbus';
import { TENANCY_MODES, type TenancyMode } from '../context/tenant';
import { LOG_LEVELS, type LogLevel, type NotificationsConfig, type ServiceConfig } from './app.config';
import { DatabaseConfigSchema, InboxConfigSchema, OutboxConfigSchema } from './persistence-config.schema';

export class NotificationsConfigSchema implements NotificationsConfig {
  // A minute is far beyond any provider call worth waiting for inside a transaction.
  @IsDuration({ max: 60_000 }) deliveryLatency!: number;
}

export class ServiceConfigSchema implements ServiceConfig {
  @IsText() name!: string;
  @IsIntIn(1, 65535) port!: number;
  // The notation express's body parsers accept (the `bytes` package).
  @IsText({
    pattern: /^(\d+(\.\d+)?\s*(b|kb)?|([0-9]|10)(\.\d+)?\s*mb)$/i,
    hint: 'must be a size like 100kb or 1mb, at most 10mb',
  })
  bodyLimit!: string;
  @IsOneOf(LOG_LEVELS) logLevel!: LogLevel;
  @IsOneOf(TENANCY_MODES) tenancy!: TenancyMode;
  @IsDuration({ positive: true }) requestTimeout!: number;
  @IsDuration({ positive: true }) headersTimeout!: number;
  @IsIntIn(1, 1_000_000) maxConnections!: number;
  @IsBool() healthDetails!: boolean;
  @IsSection(() => NotificationsConfigSchema) notifications!: NotificationsConfigSchema;
}

/** The YAML top level. `eventbus` is only allowed here; it is validated by `parseEventBusConfig`. */
export class AppConfigFileSchema {
  @IsOptional() @IsSection(() => ServiceConfigSchema) service?: ServiceConfigSchema;
  @IsOptional() @IsSection(() => DatabaseConfigSchema) database?: DatabaseConfigSchema;
  @IsOptional() @IsSection(() => OutboxConfigSchema) outbox?: OutboxConfigSchema;
  @IsOptional() @IsSection(() => InboxConfigSchema) inbox?: InboxConfigSchema;
  @Allow() eventbus?: unknown;
}
