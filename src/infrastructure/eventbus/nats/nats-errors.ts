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

/**
 * Whether a failed request may succeed when sent again (a publish with the same message id, so
 * JetStream stores it once): the connection dropped, the server is restarting, or it timed out.
 */
export function isTransientNatsError(error: unknown): boolean {
  if (error instanceof natsErrors.TimeoutError) return true;
  if (error instanceof natsErrors.NoRespondersError) return true;
  if (error instanceof natsErrors.RequestError) return true;
  if (error instanceof natsErrors.ConnectionError) return true;
  // A JetStream API error the server reports as its own (5xx), e.g. a store still being removed.
  if (error instanceof JetStreamApiError && error.status >= 500) return true;
  // No responders on a JetStream subject: the stream (or JetStream itself) is not up yet.
  return error instanceof Error && /jetstream is not enabled|no responders/i.test(error.message);
}

/** Why the first connect failed, in words an operator can act on. */
export function describeConnectFailure(error: unknown, servers: string, auth: string): string {
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
  if (error instanceof natsErrors.TimeoutError) {
    return `no NATS server of ${servers} completed the handshake within eventbus.nats.connectionTimeout (${cause})`;
  }
  return `cannot connect to any NATS server of ${servers}: ${cause}`;
}
