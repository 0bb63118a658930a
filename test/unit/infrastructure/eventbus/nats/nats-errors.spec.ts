import { errors } from '@nats-io/transport-node';
import {
  describeConnectFailure,
  isTransientNatsError,
} from '../../../../../src/infrastructure/eventbus/nats/nats-errors';

const SERVERS = 'nats://a:4222, nats://b:4222';

/** What Node's TLS socket emits: an Error with an OpenSSL or Node code. */
function tlsError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

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

  it('names the untrusted server certificate and the CA file to check', () => {
    const untrusted = tlsError('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(describeConnectFailure(untrusted, SERVERS, 'no credentials')).toBe(
      'NATS TLS handshake failed at nats://a:4222, nats://b:4222: the server certificate is not signed by a CA the client trusts: set eventbus.nats.auth.tls.caFile to the CA that signed it (unable to verify the first certificate)',
    );
    expect(describeConnectFailure(untrusted, SERVERS, 'no credentials', { caFile: '/etc/ca.pem' })).toContain(
      'the server certificate is not signed by the CA in eventbus.nats.auth.tls.caFile (/etc/ca.pem)',
    );
    const wrongHost = tlsError(
      "Hostname/IP does not match certificate's altnames",
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );
    expect(describeConnectFailure(wrongHost, SERVERS, 'no credentials', {})).toContain(
      'the server certificate is not issued for the host in eventbus.nats.urls',
    );
    expect(
      describeConnectFailure(
        tlsError('certificate has expired', 'CERT_HAS_EXPIRED'),
        SERVERS,
        'no credentials',
      ),
    ).toContain('the server certificate is expired or not yet valid');
  });

  it('hints at a missing client certificate when a TLS connect times out', () => {
    const timeout = new errors.TimeoutError();
    const hint = 'a server that requires a client certificate (TLS verify) also ends this way';
    expect(describeConnectFailure(timeout, SERVERS, 'no credentials', { caFile: '/ca.pem' })).toContain(hint);
    expect(
      describeConnectFailure(timeout, SERVERS, 'no credentials', { caFile: '/ca.pem', certFile: '/c.pem' }),
    ).not.toContain(hint);
    expect(describeConnectFailure(timeout, SERVERS, 'no credentials')).not.toContain(hint);
  });

  it('retries timeouts, lost connections and missing responders, not refusals', () => {
    expect(isTransientNatsError(new errors.TimeoutError())).toBe(true);
    expect(isTransientNatsError(new errors.RequestError('connection disconnected'))).toBe(true);
    expect(isTransientNatsError(new Error('jetstream is not enabled'))).toBe(true);
    expect(isTransientNatsError(new errors.PermissionViolationError('no', 'publish', 'x'))).toBe(false);
    expect(isTransientNatsError(new Error('maximum payload exceeded'))).toBe(false);
  });
});
