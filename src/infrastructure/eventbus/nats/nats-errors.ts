import { errors as natsErrors } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';
import { EventBusError } from '../errors';

/** The bus could not connect to any server of `nats.urls`; the message names the cause. */
export class NatsConnectionError extends EventBusError {
  readonly code = 'EVENTBUS_CONNECTION_FAILED';
}

/** A stream or consumer the bus needs cannot be created or does not fit (the message says which). */
export class NatsTopologyError extends EventBusError {
  readonly code = 'EVENTBUS_TOPOLOGY';
}

/** JetStream did not confirm a publish (no PubAck) before the publish deadline or refused it. */
export class NatsPublishError extends EventBusError {
  readonly code = 'EVENTBUS_PUBLISH_FAILED';
}

/** JetStream API error codes the bus reacts to. */
export const JetStreamErrorCode = {
  streamNotFound: 10059,
  consumerNotFound: 10014,
  streamNameInUse: 10058,
  subjectsOverlap: 10065,
} as const;

export function jetStreamErrorCode(error: unknown): number | undefined {
  return error instanceof JetStreamApiError ? error.code : undefined;
}

/** A stream lookup (JetStream API) that did not answer within the time its publish had left. */
export class StreamLookupTimeoutError extends Error {
  override readonly name = 'StreamLookupTimeoutError';
}

/**
 * Whether a failed request may succeed when sent again (a publish with the same message id, so
 * JetStream stores it once): the connection dropped, the server is restarting, or it timed out.
 */
export function isTransientNatsError(error: unknown): boolean {
  if (error instanceof natsErrors.TimeoutError || error instanceof StreamLookupTimeoutError) return true;
  if (error instanceof natsErrors.NoRespondersError) return true;
  if (error instanceof natsErrors.RequestError) return true;
  if (error instanceof natsErrors.ConnectionError) return true;
  // A JetStream API error the server reports as its own (5xx), e.g. a store still being removed.
  if (error instanceof JetStreamApiError && error.status >= 500) return true;
  // No responders on a JetStream subject: the stream (or JetStream itself) is not up yet.
  return error instanceof Error && /jetstream is not enabled|no responders/i.test(error.message);
}

/** The TLS files in use when connecting (`{}` when TLS is on without files), for failure messages. */
export interface NatsTlsInUse {
  readonly caFile?: string;
  readonly certFile?: string;
}

// Node's codes for a certificate chain that does not end at a trusted CA.
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const INVALID_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Why the first connect failed, in words an operator can act on. */
export function describeConnectFailure(
  error: unknown,
  servers: string,
  auth: string,
  tls?: NatsTlsInUse,
): string {
  if (error instanceof natsErrors.AuthorizationError) {
    const hint =
      auth === 'no credentials'
        ? 'the server requires credentials and eventbus.nats.auth gives none'
        : `the server rejected ${auth}: check eventbus.nats.auth`;
    return `NATS authorization failed at ${servers}: ${hint} (${error.message})`;
  }
  if (error instanceof natsErrors.UserAuthenticationExpiredError) {
    return `NATS credentials expired at ${servers}: renew eventbus.nats.auth.credentialsFile (${error.message})`;
  }
  const cause = error instanceof Error ? error.message : String(error);
  const tlsFailure = describeTlsFailure(error, tls);
  if (tlsFailure) return `NATS TLS handshake failed at ${servers}: ${tlsFailure} (${cause})`;
  if (error instanceof natsErrors.TimeoutError) {
    // A server that requires client certificates closes the connection after the handshake, and
    // nats.js reports only that the connect timed out.
    const mutualTls =
      tls && !tls.certFile
        ? '; a server that requires a client certificate (TLS verify) also ends this way: check eventbus.nats.auth.tls.certFile and keyFile'
        : '';
    return `no NATS server of ${servers} completed the handshake within eventbus.nats.connectionTimeout${mutualTls} (${cause})`;
  }
  return `cannot connect to any NATS server of ${servers}: ${cause}`;
}

function describeTlsFailure(error: unknown, tls: NatsTlsInUse | undefined): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return tls?.caFile
      ? `the server certificate is not signed by the CA in eventbus.nats.auth.tls.caFile (${tls.caFile})`
      : 'the server certificate is not signed by a CA the client trusts: set eventbus.nats.auth.tls.caFile to the CA that signed it';
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'the server certificate is not issued for the host in eventbus.nats.urls';
  }
  if (INVALID_DATES.has(code)) return 'the server certificate is expired or not yet valid';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return 'check eventbus.nats.auth.tls (CA, client certificate and key)';
  }
  return undefined;
}
