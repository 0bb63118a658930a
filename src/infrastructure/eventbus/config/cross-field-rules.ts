import type { ConfigIssue } from './config-error';
import { formatDuration } from './duration';
import type { EventBusConfig } from './event-bus.config';
import { SASL_PROTOCOLS } from './event-bus-config.schema';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const absent = (v: unknown): boolean => v === undefined || v === null;
const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Rules that span several keys. Runs on an object that may hold wrongly typed values (those are
 * already reported per key), so every rule checks the types it relies on first.
 */
export function crossFieldIssues(config: EventBusConfig, prefix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (key: string, message: string): void => void issues.push({ key: `${prefix}.${key}`, message });

  if (config.type === 'kafka') {
    if (absent(config.kafka)) add('kafka', 'is required when type is kafka');
    else if (
      isMapping(config.kafka) &&
      Array.isArray(config.kafka.brokers) &&
      config.kafka.brokers.length === 0
    )
      add('kafka.brokers', 'is required when type is kafka: list at least one host:port');
  }
  if (config.type === 'nats') {
    if (absent(config.nats)) add('nats', 'is required when type is nats');
    else if (isMapping(config.nats) && Array.isArray(config.nats.urls) && config.nats.urls.length === 0)
      add('nats.urls', 'is required when type is nats: list at least one nats://host:port');
  }

  const retry = config.retry;
  if (isMapping(retry) && isNumber(retry.initialBackoff) && isNumber(retry.maxBackoff)) {
    if (retry.initialBackoff > retry.maxBackoff)
      add(
        'retry.initialBackoff',
        `must not exceed retry.maxBackoff (${formatDuration(retry.initialBackoff)} > ${formatDuration(retry.maxBackoff)})`,
      );
  }

  const consumer = isMapping(config.kafka) ? config.kafka.consumer : undefined;
  if (isMapping(consumer) && isNumber(consumer.heartbeatInterval) && isNumber(consumer.sessionTimeout)) {
    if (consumer.heartbeatInterval >= consumer.sessionTimeout)
      add(
        'kafka.consumer.heartbeatInterval',
        `must be below kafka.consumer.sessionTimeout (${formatDuration(consumer.heartbeatInterval)} >= ${formatDuration(consumer.sessionTimeout)})`,
      );
  }

  const security = isMapping(config.kafka) ? config.kafka.security : undefined;
  if (isMapping(security)) {
    // A secured protocol with the switch off would silently connect in plain text.
    if (security.enabled === false && security.protocol !== 'PLAINTEXT')
      add('kafka.security.enabled', `must be true when protocol is ${security.protocol}`);
    if (SASL_PROTOCOLS.includes(security.protocol)) {
      for (const field of ['mechanism', 'username', 'password'] as const) {
        if (absent(security[field]))
          add(`kafka.security.${field}`, `is required when protocol is ${security.protocol}`);
      }
    }
  }

  const auth = isMapping(config.nats) ? config.nats.auth : undefined;
  if (isMapping(auth) && absent(auth.user) !== absent(auth.password))
    add(absent(auth.user) ? 'nats.auth.user' : 'nats.auth.password', 'user and password go together');

  return issues;
}
