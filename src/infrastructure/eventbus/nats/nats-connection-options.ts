import { readFileSync } from 'node:fs';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  type Authenticator,
  type ConnectionOptions,
  type TlsOptions,
} from '@nats-io/transport-node';
import { type NatsAuthConfig, type NatsConfig } from '../config/event-bus.config';

/** A server of `nats.urls` as the client wants it (`host:port`), and credentials found in its URL. */
export interface NatsServerAddress {
  readonly server: string;
  readonly tls: boolean;
  readonly user?: string;
  readonly password?: string;
}

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
 * - `clientId` is the connection name the server shows; `maxReconnects` -1 retries forever;
 * - `connectionTimeout` bounds each dial and handshake; `reconnectWait` spaces reconnect attempts;
 * - auth: user and password, token, NKey seed or credentials file; TLS files, or TLS required by a
 *   `tls://` URL.
 */
export function natsConnectionOptions(config: NatsConfig): ConnectionOptions {
  const addresses = config.urls.map(parseNatsUrl);
  const options: ConnectionOptions = {
    servers: addresses.map((address) => address.server),
    name: config.clientId,
    maxReconnectAttempts: config.maxReconnects,
    reconnectTimeWait: config.reconnectWait,
    timeout: config.connectionTimeout,
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
  // Read once at start-up: a missing file fails here, naming the key, not at the first reconnect.
  if (auth.credentialsFile) authenticators.push(credsAuthenticator(readAuthFile(auth.credentialsFile)));
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

function tlsOptions(auth: NatsAuthConfig, addresses: NatsServerAddress[]): TlsOptions | undefined {
  const files = auth.tls;
  const required = addresses.some((address) => address.tls);
  if (!files && !required) return undefined;
  const tls: TlsOptions = {};
  // The client reads the files itself on every (re)connect.
  if (files?.caFile) tls.caFile = files.caFile;
  if (files?.certFile) tls.certFile = files.certFile;
  if (files?.keyFile) tls.keyFile = files.keyFile;
  return tls;
}

function readAuthFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`eventbus.nats.auth.credentialsFile: cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
