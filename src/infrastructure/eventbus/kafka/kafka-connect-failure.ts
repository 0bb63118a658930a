import { type KafkaSecurityConfig } from '../config/event-bus.config';
import { describeError } from '../describe-error';

const KEY = 'eventbus.kafka.security';

// Node's codes for a broker certificate that does not chain up to a CA in `ssl.ca`.
const UNTRUSTED_BROKER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED_BROKER = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
// TLS alerts the broker sends when it does not accept the client certificate (or misses one).
const REJECTED_CLIENT_CERT =
  /^ERR_SSL_(SSLV3_ALERT_(CERTIFICATE_UNKNOWN|BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE)|TLSV1_ALERT_UNKNOWN_CA)$/;

/**
 * Why the first connect to Kafka failed, in words an operator can act on: who connected over which
 * protocol and, for failures the configuration fixes (credentials, TLS trust, the client
 * certificate, a protocol that does not match the broker's listener), which key to check. kafkajs
 * wraps the cause (in retries, in connection errors) and TLS errors arrive as OpenSSL codes, so
 * without this an untrusted CA reads as "Connection error: self-signed certificate in chain".
 */
export function describeKafkaConnectFailure(
  error: unknown,
  brokers: string,
  security: KafkaSecurityConfig,
): string {
  const protocol = security.enabled ? security.protocol : 'PLAINTEXT';
  const who =
    security.enabled && security.mechanism
      ? ` as "${security.username ?? ''}" (${security.mechanism} over ${protocol})`
      : ` over ${protocol}`;
  return `cannot connect to Kafka at ${brokers}${who}: ${reason(error, protocol)}`;
}

function reason(error: unknown, protocol: string): string {
  const causes = causeChain(error);
  const sasl = causes.find(
    (cause) => cause.name === 'KafkaJSSASLAuthenticationError' || cause.code === 'PLT_KFK_AUTHENTICATION',
  );
  if (sasl) return `authentication failed: ${describeError(sasl)}`;

  // The socket's error code sits on the innermost error that has one (kafkajs copies it over).
  const coded = causes.findLast(
    (cause) => typeof cause.code === 'string' && !cause.code.startsWith('PLT_KFK_'),
  );
  const code = coded?.code as string | undefined;
  if (code) {
    const detail = `(${code}: ${tlsText(coded?.message ?? '')})`;
    if (UNTRUSTED_BROKER.has(code))
      return `TLS handshake failed: the broker's certificate is not trusted ${detail}; set ${KEY}.caFile to the CA that signed it`;
    if (EXPIRED_BROKER.has(code))
      return `TLS handshake failed: the broker's certificate is expired or not yet valid ${detail}`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return `TLS handshake failed: the broker's certificate does not name the address connected to ${detail}; check eventbus.kafka.brokers`;
    if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')
      return `TLS handshake failed: the broker requires a client certificate ${detail}; set ${KEY}.certFile and ${KEY}.keyFile`;
    if (REJECTED_CLIENT_CERT.test(code))
      return `TLS handshake failed: the broker rejected the client certificate ${detail}; check ${KEY}.certFile and ${KEY}.keyFile (the broker must trust the CA that signed them)`;
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `TLS handshake failed ${detail}`;
  }
  // A listener that speaks another protocol (TLS, SASL) drops a client that does not: nothing
  // else says so, the connection is just closed.
  if (causes.some(isConnectionClosed)) {
    // Some clients see a TLS alert (e.g. a refused client certificate) only as the socket closing.
    const certificate =
      protocol === 'SSL' || protocol === 'SASL_SSL'
        ? `, and that the broker accepts the client certificate (${KEY}.certFile, ${KEY}.keyFile) if it asks for one`
        : '';
    return `the broker closed the connection; check that ${KEY}.protocol (${protocol}) matches the broker's listener${certificate} (${describeError(error)})`;
  }
  return describeError(error);
}

interface Cause {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

function isConnectionClosed(cause: Cause): boolean {
  if (cause.name === 'KafkaJSConnectionClosedError') return true;
  return cause.code === 'PLT_KFK_NETWORK' && /connection closed/i.test(cause.message ?? '');
}

/**
 * The error and what it wraps (`cause`, kafkajs's `originalError`, the last of @platformatic/kafka's
 * aggregated `errors`), outermost first.
 */
function causeChain(error: unknown): Cause[] {
  const chain: Cause[] = [];
  for (let current = error; current && typeof current === 'object' && chain.length < 8;) {
    const cause = current as Cause;
    chain.push(cause);
    const aggregated = Array.isArray(cause.errors) ? (cause.errors as unknown[]).at(-1) : undefined;
    current = cause.cause ?? cause.originalError ?? aggregated;
  }
  return chain;
}

/** "Connection error: 80AC…:error:0A000416:SSL routines:…:sslv3 alert certificate unknown:…" -> the words. */
function tlsText(message: string): string {
  const text = message.replace(/^Connection error: /, '');
  return /SSL routines:[^:]*:([^:]+)/.exec(text)?.[1] ?? text;
}
