import { isBrokerAddress, isNatsUrl } from '../eventbus';
import type { ConfigIssue } from '../eventbus';
import { isMapping, type Mapping } from '../eventbus';
import { EVENT_BUS_TYPES } from '../eventbus';
import { isEventBusType } from '../eventbus';
import { LOG_LEVELS } from './app.config';

/** The deployment overrides (CONFIG_FILE is handled by the loader, it picks the file). */
export const ENV_OVERRIDES = [
  'EVENTBUS_TYPE',
  'KAFKA_BROKERS',
  'NATS_URL',
  'PORT',
  'LOG_LEVEL',
  'DATABASE_URL',
] as const;

/**
 * Lays the environment over the YAML content. Bad values are reported under the variable's name
 * and not applied. Empty variables count as unset (compose files often declare `KAFKA_BROKERS=`).
 */
export function applyEnvOverrides(
  raw: Mapping,
  env: NodeJS.ProcessEnv,
): { config: Mapping; issues: ConfigIssue[] } {
  const config = structuredClone(raw);
  const issues: ConfigIssue[] = [];
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const bad = (key: string, message: string, value: string): void =>
    void issues.push({ key, message: `${message}, got ${JSON.stringify(value)}` });

  const type = read('EVENTBUS_TYPE');
  if (type !== undefined) {
    if (isEventBusType(type)) set(config, ['eventbus', 'type'], type);
    else bad('EVENTBUS_TYPE', `must be one of ${EVENT_BUS_TYPES.join(', ')}`, type);
  }

  const brokers = read('KAFKA_BROKERS');
  if (brokers !== undefined) {
    const list = splitList(brokers);
    if (list.length > 0 && list.every(isBrokerAddress)) set(config, ['eventbus', 'kafka', 'brokers'], list);
    else bad('KAFKA_BROKERS', 'must be comma-separated host:port entries', brokers);
  }

  const urls = read('NATS_URL');
  if (urls !== undefined) {
    const list = splitList(urls);
    if (list.length > 0 && list.every(isNatsUrl)) set(config, ['eventbus', 'nats', 'urls'], list);
    else bad('NATS_URL', 'must be comma-separated nats://host:port entries', urls);
  }

  const port = read('PORT');
  if (port !== undefined) {
    const n = Number(port);
    if (/^\d+$/.test(port) && n >= 1 && n <= 65535) set(config, ['service', 'port'], n);
    else bad('PORT', 'must be an integer 1..65535', port);
  }

  const level = read('LOG_LEVEL')?.toLowerCase();
  if (level !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(level)) set(config, ['service', 'logLevel'], level);
    else bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`, level);
  }

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined) {
    // Not echoed: a connection string usually carries a password.
    if (/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) set(config, ['database', 'url'], databaseUrl);
    else issues.push({ key: 'DATABASE_URL', message: 'must be a postgres:// connection string' });
  }

  return { config, issues };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Sets a nested value, creating missing sections; a non-mapping in the way is left for validation to report. */
function set(target: Mapping, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    const next = node[key];
    if (!isMapping(next)) return;
    node = next;
  }
  node[path[path.length - 1]!] = value;
}
