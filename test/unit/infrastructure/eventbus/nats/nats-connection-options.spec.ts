import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDefaultNatsConfig, type NatsConfig } from '../../../../../src/infrastructure/eventbus';
import {
  describeNatsAuth,
  natsConnectionOptions,
  parseNatsUrl,
} from '../../../../../src/infrastructure/eventbus/nats/nats-connection-options';

function natsConfig(urls: string[], adjust: (config: NatsConfig) => void = () => undefined): NatsConfig {
  const config = getDefaultNatsConfig(urls).nats!;
  adjust(config);
  return config;
}

describe('NATS connection options from config', () => {
  it('uses every URL, the client id as name and the reconnect and timeout settings', () => {
    const options = natsConnectionOptions(
      natsConfig(['nats://10.0.0.1:4222', 'nats-2:4223', 'tls://secure:4443'], (config) => {
        config.clientId = 'orders-service';
        config.maxReconnects = -1;
        config.reconnectWait = 250;
        config.connectionTimeout = 3_000;
      }),
    );
    expect(options).toMatchObject({
      servers: ['10.0.0.1:4222', 'nats-2:4223', 'secure:4443'],
      name: 'orders-service',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 3_000,
      noAsyncTraces: true,
    });
    // A tls:// URL requires TLS.
    expect(options.tls).toEqual({});
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
    const credentials = join(directory, 'user.creds');
    writeFileSync(credentials, 'not parsed until the server asks');
    const options = natsConnectionOptions(
      natsConfig(['nats://alice:ignored@host:4222'], (config) => {
        config.auth = {
          user: 'bob',
          password: 'pw',
          token: 'tok',
          nkeySeed: 'SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU',
          credentialsFile: credentials,
          tls: { caFile: '/ca.pem', certFile: '/cert.pem', keyFile: '/key.pem' },
        };
      }),
    );
    expect(options).toMatchObject({ user: 'bob', pass: 'pw', token: 'tok' });
    expect(options.authenticator).toHaveLength(2);
    expect(options.tls).toEqual({ caFile: '/ca.pem', certFile: '/cert.pem', keyFile: '/key.pem' });
  });

  it('fails at start-up naming the key when the credentials file cannot be read', () => {
    expect(() =>
      natsConnectionOptions(
        natsConfig(['nats://host:4222'], (config) => {
          config.auth = { credentialsFile: '/nonexistent/user.creds' };
        }),
      ),
    ).toThrow('eventbus.nats.auth.credentialsFile: cannot read /nonexistent/user.creds');
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
