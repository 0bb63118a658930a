import { ConfigError } from '../../../src/infrastructure/eventbus/config/config-error';
import { NatsConnectionError } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { natsConnectFailure, natsRoundTrip } from '../../support/nats/nats-round-trip';
import { NatsServerProcess } from '../../support/nats/nats-server-process';

jest.setTimeout(30_000);

/**
 * nats.auth.tls against nats-servers that require TLS, with a throwaway CA and a certificate for
 * 127.0.0.1 (an IP SAN) generated per server.
 */
describeWithBroker('nats', 'NatsEventBus over TLS against servers that require it', () => {
  describe('server certificate verified with the CA file', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await NatsServerProcess.start({ tls: {} });
    });
    afterAll(() => server.stop());

    it('round-trips and passes the health check when caFile is the CA that signed the server', async () => {
      await natsRoundTrip(server.url, (config) => {
        config.nats!.auth = { tls: { caFile: server.certificates.caFile } };
      });
    });

    it('round-trips with a tls:// URL', async () => {
      await natsRoundTrip(`tls://127.0.0.1:${server.port}`, (config) => {
        config.nats!.auth = { tls: { caFile: server.certificates.caFile } };
      });
    });

    it('fails naming the untrusted certificate and the key to set when no CA is configured', async () => {
      const error = await natsConnectFailure(server.url, () => undefined);
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toMatch(
        /^NATS TLS handshake failed at nats:\/\/127\.0\.0\.1:\d+: the server certificate is not signed by a CA the client trusts: set eventbus\.nats\.auth\.tls\.caFile/,
      );
    });

    it('fails naming the configured CA file when another CA signed the server', async () => {
      const { otherCaFile } = server.certificates;
      const error = await natsConnectFailure(server.url, (config) => {
        config.nats!.auth = { tls: { caFile: otherCaFile } };
      });
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toContain(
        `the server certificate is not signed by the CA in eventbus.nats.auth.tls.caFile (${otherCaFile})`,
      );
    });

    it('fails before connecting, naming the key, when the CA file does not exist', async () => {
      const missing = `${server.storeDir}/missing-ca.pem`;
      const error = await natsConnectFailure(server.url, (config) => {
        config.nats!.auth = { tls: { caFile: missing } };
      });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          key: 'eventbus.nats.auth.tls.caFile',
          message: expect.stringContaining(`cannot read ${missing}`) as string,
        },
      ]);
    });
  });

  describe('mutual TLS (the server verifies client certificates)', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await NatsServerProcess.start({ tls: { verify: true } });
    });
    afterAll(() => server.stop());

    it('round-trips with a client certificate signed by the CA the server trusts', async () => {
      const { caFile, clientCertFile, clientKeyFile } = server.certificates;
      await natsRoundTrip(server.url, (config) => {
        config.nats!.auth = { tls: { caFile, certFile: clientCertFile, keyFile: clientKeyFile } };
      });
    });

    it('fails hinting at the client certificate when none is configured', async () => {
      const error = await natsConnectFailure(server.url, (config) => {
        // The server drops the connection and nats.js only reports the connect timeout: keep it short.
        config.nats!.connectionTimeout = 2_000;
        config.nats!.auth = { tls: { caFile: server.certificates.caFile } };
      });
      expect(error).toBeInstanceOf(NatsConnectionError);
      expect((error as Error).message).toContain(
        'a server that requires a client certificate (TLS verify) also ends this way: check eventbus.nats.auth.tls.certFile and keyFile',
      );
    });
  });
});
