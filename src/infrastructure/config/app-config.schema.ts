import 'reflect-metadata';
import { Allow, IsOptional } from 'class-validator';
import { IsIntIn, IsOneOf, IsSection, IsText } from '../eventbus/config/config-validators';
import { LOG_LEVELS, type LogLevel, type ServiceConfig } from './app.config';

export class ServiceConfigSchema implements ServiceConfig {
  @IsText() name!: string;
  @IsIntIn(1, 65535) port!: number;
  // The notation express's body parsers accept (the `bytes` package).
  @IsText({ pattern: /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, hint: 'must be a size like 100kb or 1mb' })
  bodyLimit!: string;
  @IsOneOf(LOG_LEVELS) logLevel!: LogLevel;
}

/** The YAML top level. `eventbus` is only allowed here; it is validated by `parseEventBusConfig`. */
export class AppConfigFileSchema {
  @IsOptional() @IsSection(() => ServiceConfigSchema) service?: ServiceConfigSchema;
  @Allow() eventbus?: unknown;
}
