import { accessSync, constants, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  type Authenticator,
  type ConnectionOptions,
  type TlsOptions,
} from '@nats-io/transport-node';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { type NatsAuthConfig, type NatsConfig } from '../config/event-bus.config';
import { NatsReconnectPacing } from './nats-reconnect-pacing';

/** A server of `nats.urls` as the client wants it (`host:port`), and credentials found in its URL. */
export interface NatsServerAddress {
  readonly server: string;
  readonly tls: boolean;
  readonly user?: string;
  readonly password?: string;
}

/** Unanswered pings after which the client drops the connection and reconnects. */
const MAX_PINGS_OUT = 2;

const URL_PATTERN = /^(?:(nats|tls):\/\/)?(?:([^@/\s]+)@)?(.+)$/;

/** `nats://user:pass@host:port`, `tls://token@host:port` or `host:port`, taken apart. */
export function parseNatsUrl(url: string): NatsServerAddress {
  const [, scheme, userInfo, hostPort] = URL_PATTERN.exec(url.trim()) ?? [];
  const address: NatsServerAddress = { server: hostPort ?? url, tls: scheme === 'tls' };
  if (userInfo === undefined) return address;
  const colon = userInfo.indexOf(':');
  if (colon < 0) return { ...address, user: decodeURIComponent(userInfo) };
  return {
    ...address,
    user: decodeURIComponent(userInfo.slice(0, colon)),
    password: decodeURIComponent(userInfo.slice(colon + 1)),
  };
}

/** The way `auth` (or the first URL with credentials) authenticates, for messages and logs; never a secret. */
export function describeNatsAuth(config: NatsConfig): string {
  const auth = config.auth;
  if (auth.credentialsFile) return `credentials file ${auth.credentialsFile}`;
  if (auth.nkeySeed) return 'an NKey seed';
  if (auth.user) return `user "${auth.user}" with a password`;
  if (auth.token) return 'a token';
  const fromUrl = config.urls.map(parseNatsUrl).find((address) => address.user !== undefined);
  if (fromUrl)
    return fromUrl.password === undefined ? 'a token in the URL' : `user "${fromUrl.user}" from the URL`;
  return 'no credentials';
}

/**
 * The client options for `config`:
 * - every URL goes into `servers` (credentials in a URL are used when `auth` names none);
 * - `clientId` is the connection name the server shows;
 * - the client never gives up reconnecting: `pacing` spaces the attempts (`maxReconnects` of them
 *   `reconnectWait` apart, then a capped backoff);
 * - `connectionTimeout` bounds each dial and handshake; a ping every `pingInterval`, two of them
 *   unanswered, makes a frozen server a lost connection;
 * - auth: user and password, token, NKey seed or credentials file; TLS files, or TLS required by a
 *   `tls://` URL. A file that cannot be read (or a malformed credentials file) is a ConfigError
 *   naming the key, thrown before any connect.
 */
export function natsConnectionOptions(
  config: NatsConfig,
  pacing = new NatsReconnectPacing(config.maxReconnects, config.reconnectWait),
): ConnectionOptions {
  const addresses = config.urls.map(parseNatsUrl);
  const options: ConnectionOptions = {
    servers: addresses.map((address) => address.server),
    name: config.clientId,
    maxReconnectAttempts: -1,
    reconnectDelayHandler: () => pacing.delay(),
    timeout: config.connectionTimeout,
    pingInterval: config.pingInterval,
    maxPingOut: MAX_PINGS_OUT,
    // The pool is re-set after connecting (see NatsConnection), so a dead first URL is tried again later.
    waitOnFirstConnect: false,
    // Otherwise every request builds two Error objects up front for async stack traces; that alone
    // costs a third of the publish throughput. Our errors name topic and cause instead.
    noAsyncTraces: true,
  };
  Object.assign(options, authOptions(config.auth, addresses));
  const tls = tlsOptions(config.auth, addresses);
  if (tls) options.tls = tls;
  return options;
}

function authOptions(auth: NatsAuthConfig, addresses: NatsServerAddress[]): Partial<ConnectionOptions> {
  const authenticators: Authenticator[] = [];
  if (auth.credentialsFile) authenticators.push(credentialsAuthenticator(auth.credentialsFile));
  if (auth.nkeySeed) authenticators.push(nkeyAuthenticator(new TextEncoder().encode(auth.nkeySeed.trim())));
  const options: Partial<ConnectionOptions> = {};
  if (authenticators.length > 0) options.authenticator = authenticators;
  if (auth.user !== undefined) {
    options.user = auth.user;
    options.pass = auth.password;
  }
  if (auth.token !== undefined) options.token = auth.token;
  const configured = authenticators.length > 0 || auth.user !== undefined || auth.token !== undefined;
  const fromUrl = addresses.find((address) => address.user !== undefined);
  if (!configured && fromUrl) {
    if (fromUrl.password === undefined) options.token = fromUrl.user;
    else {
      options.user = fromUrl.user;
      options.pass = fromUrl.password;
    }
  }
  return options;
}

/**
 * The client's TLS options; the client reads the files itself on every (re)connect, so they are
 * only checked for readability here. Extra keys reach Node's `tls.connect` unchanged.
 */
function tlsOptions(auth: NatsAuthConfig, addresses: NatsServerAddress[]): TlsOptions | undefined {
  const files = auth.tls;
  const required = addresses.some((address) => address.tls);
  if (!files && !required) return undefined;
  const tls: TlsOptions & { checkServerIdentity?: typeof checkServerIdentity } = {};
  const unreadable: ConfigIssue[] = [];
  for (const key of ['caFile', 'certFile', 'keyFile'] as const) {
    const path = files?.[key];
    if (path === undefined) continue;
    const problem = unreadableFile(path);
    if (problem) unreadable.push({ key: `eventbus.nats.auth.tls.${key}`, message: problem });
    tls[key] = path;
  }
  if (unreadable.length > 0) throw new ConfigError(unreadable);
  const ips = addresses.map((address) => hostOf(address.server)).filter((host) => isIP(host) !== 0);
  if (ips.length > 0) tls.checkServerIdentity = serverIdentityCheck(ips);
  return tls;
}

/**
 * nats.js sends no server name for a server given as an IP address (SNI cannot carry one), so Node
 * checks the certificate against "localhost" and refuses a certificate issued for the IP. In that
 * case the certificate must name one of the configured IP addresses instead.
 */
export function serverIdentityCheck(
  ips: string[],
): (hostname: string, cert: PeerCertificate) => Error | undefined {
  return (hostname, cert) => {
    const error = checkServerIdentity(hostname, cert);
    if (!error || hostname !== 'localhost') return error;
    const byIp = ips.map((ip) => checkServerIdentity(ip, cert));
    return byIp.some((ipError) => ipError === undefined) ? undefined : byIp[0];
  };
}

/** `host` of `host:port`, without the brackets of an IPv6 literal. */
function hostOf(server: string): string {
  const host = server.slice(0, server.lastIndexOf(':'));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function unreadableFile(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
}

/**
 * Read and parsed once at start-up: a missing or malformed file fails here, naming the key, not at
 * the first (re)connect with an error that names no key.
 */
function credentialsAuthenticator(path: string): Authenticator {
  const key = 'eventbus.nats.auth.credentialsFile';
  let contents: Uint8Array;
  try {
    contents = readFileSync(path);
  } catch (error) {
    throw new ConfigError([{ key, message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  const authenticator = credsAuthenticator(contents);
  try {
    // Signing a nonce parses the user JWT and the seed, as the handshake will.
    authenticator('validate');
  } catch (error) {
    throw new ConfigError([
      {
        key,
        message: `${path} is not a NATS credentials file with a user JWT and seed: ${(error as Error).message}`,
      },
    ]);
  }
  return authenticator;
}
