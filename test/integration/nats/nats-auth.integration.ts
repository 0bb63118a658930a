import { nkeys } from '@nats-io/transport-node';
import { NatsConnectionError } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { natsConnectFailure, natsRoundTrip } from '../../support/nats/nats-round-trip';
import { NatsServerProcess } from '../../support/nats/nats-server-process';

jest.setTimeout(30_000);

describeWithBroker('nats', 'NatsEventBus authentication against servers that require it', () => {
  describe('user and password', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await NatsServerProcess.start({ user: 'alice', password: 's3cret' });
    });
    afterAll(() => server.stop());

    it('connects and round-trips with the right user and password', async () => {
      await natsRoundTrip(server.url, (config) => {
        config.nats!.auth = { user: 'alice', password: 's3cret' };
      });
    });

    it('takes the credentials from the URL when auth names none', async () => {
      await natsRoundTrip(`nats://alice:s3cret@127.0.0.1:${server.port}`, () => undefined);
    });

    it('fails with an error naming the rejected user, without the password', async () => {
      const error = await natsConnectFailure(server.url, (config) => {
        config.nats!.auth = { user: 'alice', password: 'wrong' };
      });
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toMatch(/authorization failed at nats:\/\/127\.0\.0\.1:\d+/);
      expect((error as Error).message).toContain('rejected user "alice" with a password');
      expect((error as Error).message).not.toContain('wrong');
    });

    it('says that credentials are missing when none are configured', async () => {
      const error = await natsConnectFailure(server.url, () => undefined);
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toContain(
        'the server requires credentials and eventbus.nats.auth gives none',
      );
    });
  });

  describe('token', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await NatsServerProcess.start({ token: 'tok-123' });
    });
    afterAll(() => server.stop());

    it('connects with the right token', async () => {
      await natsRoundTrip(server.url, (config) => {
        config.nats!.auth = { token: 'tok-123' };
      });
    });

    it('fails with an error naming the rejected token', async () => {
      const error = await natsConnectFailure(server.url, (config) => {
        config.nats!.auth = { token: 'tok-999' };
      });
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toContain('the server rejected a token');
      expect((error as Error).message).not.toContain('tok-999');
    });
  });

  describe('NKey', () => {
    const user = nkeys.createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await NatsServerProcess.start({
        config: `authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }\n`,
      });
    });
    afterAll(() => server.stop());

    it('connects by signing the server nonce with the seed', async () => {
      await natsRoundTrip(server.url, (config) => {
        config.nats!.auth = { nkeySeed: seed };
      });
    });

    it('fails with an error naming NKey auth when the seed is another user', async () => {
      const other = new TextDecoder().decode(nkeys.createUser().getSeed());
      const error = await natsConnectFailure(server.url, (config) => {
        config.nats!.auth = { nkeySeed: other };
      });
      expect((error as Error).message).toContain('the server rejected an NKey seed');
      expect((error as Error).message).not.toContain(other);
    });
  });
});
