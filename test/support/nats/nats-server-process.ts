import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from '../free-port';
import { waitFor } from '../wait-for';
import { type NatsOperator } from './nats-jwt';
import { createTestCertificates, type TestCertificates } from './test-certificates';

export interface NatsServerOptions {
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** Extra lines for a server config file (e.g. an `authorization { users: [...] }` block). */
  readonly config?: string;
  /**
   * Require TLS with a throwaway PKI generated into the store dir (see `certificates`); `verify`
   * also requires a client certificate signed by the same CA (mutual TLS).
   */
  readonly tls?: { readonly verify?: boolean };
  /** Operator (JWT) mode: trust this operator and preload its accounts (`resolver: MEMORY`). */
  readonly operator?: NatsOperator;
}

/** The nats-server binary: NATS_SERVER_BIN, else `nats-server` on PATH, else the Debian location. */
export function natsServerBinary(): string {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv) return fromEnv;
  const candidates = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nats-server'));
  const found = [...candidates, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'].find((path) =>
    existsSync(path),
  );
  if (!found) {
    throw new Error('nats-server not found: run scripts/nats/ensure.sh or set NATS_SERVER_BIN');
  }
  return found;
}

/**
 * A nats-server with JetStream that a test owns: its own port and its own store directory under the
 * OS temp dir, killed and restarted by PID. Always `stop()` it (afterAll), which also removes the store.
 */
export class NatsServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly args: string[],
    private readonly pki: TestCertificates | undefined,
  ) {}

  static async start(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
    const port = await freePort();
    const storeDir = mkdtempSync(join(tmpdir(), 'eventbus-nats-'));
    try {
      const server = await NatsServerProcess.prepare(port, storeDir, options);
      await server.launch();
      return server;
    } catch (error) {
      // No afterAll will stop a server that never started: remove its certificates and store here.
      rmSync(storeDir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async prepare(
    port: number,
    storeDir: string,
    options: NatsServerOptions,
  ): Promise<NatsServerProcess> {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(storeDir, 'jetstream')];
    if (options.user !== undefined) args.push('--user', options.user, '--pass', options.password ?? '');
    if (options.token !== undefined) args.push('--auth', options.token);
    const pki = options.tls ? await createTestCertificates(storeDir) : undefined;
    const config = [
      pki ? tlsBlock(pki, options.tls?.verify === true) : '',
      options.operator ? operatorConfig(options.operator, storeDir) : '',
      options.config ?? '',
    ].join('');
    if (config !== '') {
      const file = join(storeDir, 'server.conf');
      writeFileSync(file, config);
      args.push('-c', file);
    }
    return new NatsServerProcess(port, storeDir, args, pki);
  }

  /** The CA, server and client certificates of a server started with `tls`. */
  get certificates(): TestCertificates {
    if (!this.pki) throw new Error('this nats-server was started without the tls option');
    return this.pki;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** kill -9: no shutdown, no flush; the store stays as the process left it. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGSTOP: the process holds its sockets open but answers nothing, as a hung server would. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Starts again on the same port and store. */
  async restart(): Promise<void> {
    if (this.child) await this.signal('SIGKILL');
    await this.launch();
  }

  async stop(): Promise<void> {
    this.thaw();
    if (this.child) await this.signal('SIGTERM');
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const child = spawn(natsServerBinary(), this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let exitedEarly = false;
    void this.exited.then(() => (exitedEarly = true));
    await waitFor(async () => exitedEarly || (await answers(this.port)), {
      timeout: 15_000,
      interval: 20,
      message: () => `nats-server on port ${this.port} did not start: ${stderr}`,
    });
    if (exitedEarly) throw new Error(`nats-server on port ${this.port} exited at start: ${stderr}`);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await this.exited;
  }
}

/** JSON strings are valid nats-server config strings, and quote any path safely. */
function tlsBlock(pki: TestCertificates, verify: boolean): string {
  return [
    'tls {',
    `  cert_file: ${JSON.stringify(pki.serverCertFile)}`,
    `  key_file: ${JSON.stringify(pki.serverKeyFile)}`,
    `  ca_file: ${JSON.stringify(pki.caFile)}`,
    `  verify: ${verify}`,
    // Generous: on a loaded test machine a handshake can outlast the server's default.
    '  timeout: 5',
    '}',
    '',
  ].join('\n');
}

function operatorConfig(operator: NatsOperator, storeDir: string): string {
  const file = join(storeDir, 'operator.jwt');
  writeFileSync(file, operator.jwt);
  return operator.serverConfig(file);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
