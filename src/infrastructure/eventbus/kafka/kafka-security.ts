import { readFileSync } from 'node:fs';
import { type ConnectionOptions } from 'node:tls';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { type KafkaSecurityConfig } from '../config/event-bus.config';

/** SASL credentials, for the driver to hand to its client. */
export interface KafkaSaslCredentials {
  readonly mechanism: NonNullable<KafkaSecurityConfig['mechanism']>;
  readonly username: string;
  readonly password: string;
}

/** TLS (`true`: the system's CAs) and SASL, read and checked once; each driver maps them to its client. */
export interface KafkaSecurityOptions {
  tls?: ConnectionOptions | true;
  sasl?: KafkaSaslCredentials;
}

const KEY = 'eventbus.kafka.security';
const TLS_PROTOCOLS = new Set<KafkaSecurityConfig['protocol']>(['SSL', 'SASL_SSL']);
const SASL_PROTOCOLS = new Set<KafkaSecurityConfig['protocol']>(['SASL_PLAINTEXT', 'SASL_SSL']);

/**
 * `kafka.security.*` as TLS options and SASL credentials. TLS files are read now, so a missing or
 * unreadable file stops start-up naming its key instead of failing on the first connection.
 */
export function kafkaSecurityOptions(security: KafkaSecurityConfig): KafkaSecurityOptions {
  const issues: ConfigIssue[] = [];
  const { protocol } = security;
  const usesTls = security.enabled && TLS_PROTOCOLS.has(protocol);
  const usesSasl = security.enabled && SASL_PROTOCOLS.has(protocol);

  if (!usesSasl && security.mechanism !== undefined)
    issues.push({
      key: `${KEY}.mechanism`,
      message: `is only used with SASL_PLAINTEXT or SASL_SSL, not ${protocol}`,
    });
  const files = { caFile: 'ca', certFile: 'cert', keyFile: 'key' } as const;
  const tls: ConnectionOptions = {};
  for (const [field, option] of Object.entries(files) as [keyof typeof files, 'ca' | 'cert' | 'key'][]) {
    const path = security[field];
    if (path === undefined) continue;
    if (!usesTls) {
      issues.push({ key: `${KEY}.${field}`, message: `is only used with SSL or SASL_SSL, not ${protocol}` });
      continue;
    }
    try {
      tls[option] = readFileSync(path);
    } catch (error) {
      issues.push({ key: `${KEY}.${field}`, message: `cannot read "${path}": ${(error as Error).message}` });
    }
  }
  if ((security.certFile === undefined) !== (security.keyFile === undefined))
    issues.push({ key: `${KEY}.certFile`, message: 'certFile and keyFile go together (client certificate)' });
  if (issues.length > 0) throw new ConfigError(issues);

  const options: KafkaSecurityOptions = {};
  if (usesTls) options.tls = Object.keys(tls).length > 0 ? tls : true;
  if (usesSasl) options.sasl = saslOptions(security);
  return options;
}

function saslOptions(security: KafkaSecurityConfig): KafkaSaslCredentials {
  // Presence is a cross-field rule of the config schema; these guards only narrow the types.
  return {
    mechanism: security.mechanism ?? 'PLAIN',
    username: security.username ?? '',
    password: security.password ?? '',
  };
}
