import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../src/infrastructure/eventbus/config/config-error';
import { NatsConnectionError } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { NatsOperator, userCredentials } from '../../support/nats/nats-jwt';
import { natsConnectFailure, natsRoundTrip } from '../../support/nats/nats-round-trip';
import { NatsServerProcess } from '../../support/nats/nats-server-process';

jest.setTimeout(30_000);

/**
 * nats.auth.credentialsFile against a nats-server in operator (JWT) mode that knows one account
 * with JetStream enabled; the JWTs and .creds files are generated per run.
 */
describeWithBroker('nats', 'NatsEventBus with a credentials file against an operator-mode server', () => {
  const operator = new NatsOperator();
  const account = operator.createAccount('eventbus-test');
  let server: NatsServerProcess;
  beforeAll(async () => {
    server = await NatsServerProcess.start({ operator });
  });
  afterAll(() => server.stop());

  function credentialsFile(name: string, contents: string): string {
    const path = join(server.storeDir, `${name}.creds`);
    writeFileSync(path, contents, { mode: 0o600 });
    return path;
  }

  it('round-trips through JetStream as a user of the trusted account', async () => {
    const path = credentialsFile('service', userCredentials(account, 'service'));
    await natsRoundTrip(server.url, (config) => {
      config.nats!.auth = { credentialsFile: path };
    });
  });

  it('fails naming authorization and the credentials file when another account signed the user', async () => {
    const stranger = new NatsOperator().createAccount('stranger');
    const path = credentialsFile('stranger', userCredentials(stranger, 'intruder'));
    const error = await natsConnectFailure(server.url, (config) => {
      config.nats!.auth = { credentialsFile: path };
    });
    expect(error).toBeInstanceOf(NatsConnectionError);
    expect((error as Error).message).toMatch(
      /^NATS authorization failed at nats:\/\/127\.0\.0\.1:\d+: the server rejected credentials file .*stranger\.creds: check eventbus\.nats\.auth/,
    );
  });

  it('fails before connecting, naming the key, when the credentials file does not exist', async () => {
    const missing = join(server.storeDir, 'missing.creds');
    const error = await natsConnectFailure(server.url, (config) => {
      config.nats!.auth = { credentialsFile: missing };
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      new RegExp(`^eventbus\\.nats\\.auth\\.credentialsFile: cannot read ${missing}`),
    );
  });
});
