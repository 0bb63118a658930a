import { errors } from '@nats-io/transport-node';
import {
  describeConnectFailure,
  isTransientNatsError,
} from '../../../../../src/infrastructure/eventbus/nats/nats-errors';

const SERVERS = 'nats://a:4222, nats://b:4222';

describe('NATS error descriptions and classification', () => {
  it('names the cause of an authorization failure and what to check', () => {
    const violation = new errors.AuthorizationError('Authorization Violation');
    expect(describeConnectFailure(violation, SERVERS, 'user "alice" with a password')).toBe(
      'NATS authorization failed at nats://a:4222, nats://b:4222: the server rejected user "alice" with a password: check eventbus.nats.auth (Authorization Violation)',
    );
    expect(describeConnectFailure(violation, SERVERS, 'no credentials')).toContain(
      'the server requires credentials and eventbus.nats.auth gives none',
    );
  });

  it('names every server when none could be reached', () => {
    expect(
      describeConnectFailure(new errors.ConnectionError('connection refused'), SERVERS, 'no credentials'),
    ).toBe('cannot connect to any NATS server of nats://a:4222, nats://b:4222: connection refused');
    expect(describeConnectFailure(new errors.TimeoutError(), SERVERS, 'no credentials')).toContain(
      'within eventbus.nats.connectionTimeout',
    );
  });

  it('retries timeouts, lost connections and missing responders, not refusals', () => {
    expect(isTransientNatsError(new errors.TimeoutError())).toBe(true);
    expect(isTransientNatsError(new errors.RequestError('connection disconnected'))).toBe(true);
    expect(isTransientNatsError(new Error('jetstream is not enabled'))).toBe(true);
    expect(isTransientNatsError(new errors.PermissionViolationError('no', 'publish', 'x'))).toBe(false);
    expect(isTransientNatsError(new Error('maximum payload exceeded'))).toBe(false);
  });
});
