import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type PeerCertificate } from 'node:tls';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { getDefaultNatsConfig, type NatsConfig } from '../../../../../src/infrastructure/eventbus';
import { ConfigError } from '../../../../../src/infrastructure/eventbus/config/config-error';
import {
  describeNatsAuth,
  natsConnectionOptions,
  parseNatsUrl,
  serverIdentityCheck,
} from '../../../../../src/infrastructure/eventbus/nats/nats-connection-options';

function optionsError(adjust: (config: NatsConfig) => void): Error {
  try {
    natsConnectionOptions(natsConfig(['nats://host:4222'], adjust));
  } catch (error) {
    return error as Error;
  }
  throw new Error('natsConnectionOptions accepted the config');
}

/** A syntactically valid .creds file; the server is never asked. */
function credentialsFileText(): string {
  const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
  const block = (label: string, body: string): string =>
    `-----BEGIN ${label}-----\n${body}\n------END ${label}------\n`;
  return `${block('NATS USER JWT', 'eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig')}\n${block('USER NKEY SEED', seed)}`;
}

/** The fields of a peer certificate that Node's host name check reads. */
function certificateFor(subjectaltname: string): PeerCertificate {
  return { subject: { CN: 'eventbus-test-server' }, subjectaltname } as PeerCertificate;
}

function natsConfig(urls: string[], adjust: (config: NatsConfig) => void = () => undefined): NatsConfig {
  const config = getDefaultNatsConfig(urls).nats!;
  adjust(config);
  return config;
}

describe('NATS connection options from config', () => {
  it('uses every URL, the client id as name and the reconnect, ping and timeout settings', () => {
    const options = natsConnectionOptions(
      natsConfig(['nats://10.0.0.1:4222', 'nats-2:4223', 'tls://secure:4443'], (config) => {
        config.clientId = 'orders-service';
        config.maxReconnects = 3;
        config.reconnectWait = 250;
        config.connectionTimeout = 3_000;
        config.pingInterval = 1_000;
      }),
    );
    expect(options).toMatchObject({
      servers: ['10.0.0.1:4222', 'nats-2:4223', 'secure:4443'],
      name: 'orders-service',
      // The client never closes for want of attempts: the pacing decides how far apart they are.
      maxReconnectAttempts: -1,
      timeout: 3_000,
      pingInterval: 1_000,
      maxPingOut: 2,
      noAsyncTraces: true,
    });
    expect(options.reconnectDelayHandler!()).toBeGreaterThanOrEqual(225);
    expect(options.reconnectDelayHandler!()).toBeLessThanOrEqual(275);
    // A tls:// URL requires TLS; the IP address 10.0.0.1 needs its own certificate check.
    expect(options.tls).toEqual({ checkServerIdentity: expect.any(Function) as unknown });
  });

  it('takes user and password, or a token, from the URL when auth names none', () => {
    expect(parseNatsUrl('nats://al%40ce:p%3Ass@host:4222')).toEqual({
      server: 'host:4222',
      tls: false,
      user: 'al@ce',
      password: 'p:ss',
    });
    expect(natsConnectionOptions(natsConfig(['nats://alice:secret@host:4222']))).toMatchObject({
      servers: ['host:4222'],
      user: 'alice',
      pass: 'secret',
    });
    expect(natsConnectionOptions(natsConfig(['nats://s3cr3t-token@host:4222']))).toMatchObject({
      token: 's3cr3t-token',
    });
  });

  it('maps user and password, token, NKey seed, credentials file and TLS files from auth', () => {
    const directory = mkdtempSync(join(tmpdir(), 'nats-options-'));
    const file = (name: string, contents: string): string => {
      writeFileSync(join(directory, name), contents);
      return join(directory, name);
    };
    const tls = { caFile: file('ca.pem', ''), certFile: file('cert.pem', ''), keyFile: file('key.pem', '') };
    const options = natsConnectionOptions(
      natsConfig(['nats://alice:ignored@host:4222'], (config) => {
        config.auth = {
          user: 'bob',
          password: 'pw',
          token: 'tok',
          nkeySeed: 'SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU',
          credentialsFile: file('user.creds', credentialsFileText()),
          tls,
        };
      }),
    );
    expect(options).toMatchObject({ user: 'bob', pass: 'pw', token: 'tok' });
    expect(options.authenticator).toHaveLength(2);
    // A host name is checked by Node as usual: no identity check of our own.
    expect(options.tls).toEqual(tls);
  });

  it('fails at start-up naming the key when the credentials file cannot be read', () => {
    const error = optionsError((config) => {
      config.auth = { credentialsFile: '/nonexistent/user.creds' };
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^eventbus.nats.auth.credentialsFile: cannot read \/nonexistent\/user.creds/,
    );
  });

  it('fails at start-up naming the key when the credentials file holds no user JWT and seed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nats-options-')), 'garbage.creds');
    writeFileSync(path, 'not a credentials file\n');
    const error = optionsError((config) => {
      config.auth = { credentialsFile: path };
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `eventbus.nats.auth.credentialsFile: ${path} is not a NATS credentials file with a user JWT and seed: unable to parse credentials`,
    );
  });

  it('fails at start-up naming every TLS file that cannot be read', () => {
    const error = optionsError((config) => {
      config.auth = { tls: { caFile: '/nonexistent/ca.pem', certFile: '/nonexistent/client.pem' } };
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.key)).toEqual([
      'eventbus.nats.auth.tls.caFile',
      'eventbus.nats.auth.tls.certFile',
    ]);
    expect(error.message).toContain('cannot read /nonexistent/ca.pem');
  });

  it('checks the certificate of a server given by IP address against that address', () => {
    const options = natsConnectionOptions(natsConfig(['tls://10.0.0.1:4222', 'nats-2:4222']));
    expect(options.tls).toEqual({ checkServerIdentity: expect.any(Function) as unknown });
    // nats.js sends no server name for an IP, so Node checks against "localhost".
    const check = serverIdentityCheck(['10.0.0.1', '::1']);
    expect(check('localhost', certificateFor('IP Address:10.0.0.1'))).toBeUndefined();
    expect(check('localhost', certificateFor('IP Address:0:0:0:0:0:0:0:1'))).toBeUndefined();
    expect(check('localhost', certificateFor('IP Address:10.0.0.9'))?.message).toContain(
      'IP: 10.0.0.1 is not',
    );
    // A host name is checked as Node checks it, never against the IP addresses.
    expect(check('nats.example.com', certificateFor('DNS:nats.example.com'))).toBeUndefined();
    expect(check('nats.example.com', certificateFor('IP Address:10.0.0.1'))?.message).toContain(
      'Host: nats.example.com. is not',
    );
  });

  it('describes the credentials in use without revealing secrets', () => {
    expect(describeNatsAuth(natsConfig(['host:4222']))).toBe('no credentials');
    expect(
      describeNatsAuth(
        natsConfig(['host:4222'], (config) => {
          config.auth = { user: 'alice', password: 'secret' };
        }),
      ),
    ).toBe('user "alice" with a password');
    expect(
      describeNatsAuth(
        natsConfig(['host:4222'], (config) => {
          config.auth = { token: 'secret' };
        }),
      ),
    ).toBe('a token');
    expect(describeNatsAuth(natsConfig(['nats://alice:secret@host:4222']))).toBe('user "alice" from the URL');
  });
});
