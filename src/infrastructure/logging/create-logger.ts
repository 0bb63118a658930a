import pino, { type Logger } from 'pino';
import { type ServiceConfig } from '../config/app.config';

/** Structured JSON logs on stdout; the service name is on every line so aggregated logs stay attributable. */
export function createLogger(service: ServiceConfig): Logger {
  return pino({ name: service.name, level: service.logLevel });
}
