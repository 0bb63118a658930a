import { randomUUID } from 'node:crypto';
import { nkeys } from '@nats-io/transport-node';

type KeyPair = ReturnType<typeof nkeys.createAccount>;

/**
 * Hand-written NATS JWT v2 encoding for test servers in operator mode: a header, the claims and an
 * ed25519 signature of both by the issuer's NKey, each base64url without padding. Enough for
 * `resolver: MEMORY`; the `nats` CLI or @nats-io/jwt would add a tool or a dependency for this alone.
 */
const HEADER = { typ: 'JWT', alg: 'ed25519-nkey' };

function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** Signs `nats` claims about `subject` by `issuer` (self-signed when they are the same key). */
export function encodeJwt(issuer: KeyPair, subject: string, name: string, nats: object): string {
  const claims = {
    // The server only needs a unique id; the Go library derives one from a hash, any unique string works.
    jti: randomUUID(),
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    sub: subject,
    name,
    nats: { ...nats, version: 2 },
  };
  const unsigned = `${base64url(JSON.stringify(HEADER))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${base64url(issuer.sign(new TextEncoder().encode(unsigned)))}`;
}

// -1 everywhere is "no limit"; JetStream is on for an account whose storage limits are not 0.
const UNLIMITED_ACCOUNT = {
  type: 'account',
  limits: {
    subs: -1,
    data: -1,
    payload: -1,
    imports: -1,
    exports: -1,
    wildcards: true,
    conn: -1,
    leaf: -1,
    mem_storage: -1,
    disk_storage: -1,
    streams: -1,
    consumer: -1,
  },
};

// Empty pub/sub permissions allow every subject; zero limits would forbid subscribing at all.
const UNLIMITED_USER = { type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1 };

export interface NatsAccount {
  readonly key: KeyPair;
  readonly publicKey: string;
  readonly jwt: string;
}

/** An operator and accounts it signed, as a server in operator mode trusts them. */
export class NatsOperator {
  private readonly key = nkeys.createOperator();
  readonly jwt: string;
  readonly accounts: NatsAccount[] = [];
  /** JetStream refuses to start in operator mode without a system account (nats-server 2.9). */
  readonly systemAccount: NatsAccount;

  constructor(name = 'eventbus-test-operator') {
    this.systemAccount = this.signAccount('SYS', { type: 'account' });
    this.jwt = encodeJwt(this.key, this.key.getPublicKey(), name, {
      type: 'operator',
      system_account: this.systemAccount.publicKey,
    });
  }

  /** A new account with JetStream enabled and no limits, signed by this operator. */
  createAccount(name: string): NatsAccount {
    return this.signAccount(name, UNLIMITED_ACCOUNT);
  }

  private signAccount(name: string, claims: object): NatsAccount {
    const key = nkeys.createAccount();
    const account = {
      key,
      publicKey: key.getPublicKey(),
      jwt: encodeJwt(this.key, key.getPublicKey(), name, claims),
    };
    this.accounts.push(account);
    return account;
  }

  /** The server config lines that make a server trust this operator and know its accounts. */
  serverConfig(operatorJwtFile: string): string {
    const preload = this.accounts.map((account) => `  ${account.publicKey}: "${account.jwt}"`).join('\n');
    return [
      `operator: ${JSON.stringify(operatorJwtFile)}`,
      `system_account: ${this.systemAccount.publicKey}`,
      'resolver: MEMORY',
      `resolver_preload: {\n${preload}\n}`,
      '',
    ].join('\n');
  }
}

/** The text of a `.creds` file (user JWT and seed, as `nsc` writes it) for a new user of `account`. */
export function userCredentials(account: NatsAccount, name: string): string {
  const user = nkeys.createUser();
  const jwt = encodeJwt(account.key, user.getPublicKey(), name, UNLIMITED_USER);
  const seed = new TextDecoder().decode(user.getSeed());
  return [
    '-----BEGIN NATS USER JWT-----',
    jwt,
    '------END NATS USER JWT------',
    '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.',
    '',
    '-----BEGIN USER NKEY SEED-----',
    seed,
    '------END USER NKEY SEED------',
    '',
    '*************************************************************',
    '',
  ].join('\n');
}
