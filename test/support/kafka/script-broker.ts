import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../free-port';
import { waitFor } from '../wait-for';

const run = promisify(execFile);
const SCRIPTS = resolve(__dirname, '../../../scripts/kafka');

/** start.sh's options: see the usage comment in scripts/kafka/start.sh. */
export interface ScriptKafkaBrokerOptions {
  /** SASL_PLAINTEXT (SASL_SSL with `ssl`) with SCRAM-SHA-256/512, user eventbus/eventbus-secret. */
  sasl?: boolean;
  /** Like `sasl`, and PLAIN too. */
  saslPlain?: boolean;
  /** TLS on the client listener, with a CA made for this broker (see `tls`). */
  ssl?: boolean;
  /** Kafka's ssl.client.auth: whether the broker asks TLS clients for a certificate. */
  sslClientAuth?: 'none' | 'requested' | 'required';
}

/**
 * A broker of the test's own, started with scripts/kafka/start.sh on free ports and a fresh data
 * directory, for tests that kill, restart or reconfigure it (the shared KAFKA_BROKERS one stays up).
 */
export class ScriptKafkaBroker {
  private constructor(
    readonly bootstrap: string,
    private readonly args: string[],
    private readonly dataDir: string,
  ) {}

  static async start(options: ScriptKafkaBrokerOptions = {}): Promise<ScriptKafkaBroker> {
    const dataDir = mkdtempSync(join(tmpdir(), 'eventbus-kafka-'));
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const args = ['--port', String(port), '--controller-port', String(controllerPort), '--data-dir', dataDir];
    if (options.sasl) args.push('--sasl');
    if (options.saslPlain) args.push('--sasl-plain');
    if (options.ssl) args.push('--ssl');
    if (options.sslClientAuth) args.push('--ssl-client-auth', options.sslClientAuth);
    const broker = new ScriptKafkaBroker(`127.0.0.1:${port}`, args, dataDir);
    try {
      await broker.restart();
    } catch (error) {
      // start.sh may have launched the JVM before giving up on it: stop it rather than leak it.
      await broker.stop().catch(() => undefined);
      throw error;
    }
    return broker;
  }

  /**
   * The throwaway TLS files start.sh made for `ssl: true` (gone after stop()): the CA clients
   * trust, and a client certificate and key signed by that CA.
   */
  get tls(): { caFile: string; certFile: string; keyFile: string } {
    const dir = join(this.dataDir, 'tls');
    return {
      caFile: join(dir, 'ca.pem'),
      certFile: join(dir, 'client-cert.pem'),
      keyFile: join(dir, 'client-key.pem'),
    };
  }

  get pid(): number {
    return Number(readFileSync(join(this.dataDir, 'kafka.pid'), 'utf8').trim());
  }

  /** Starts it again on the same ports and data (idempotent while it runs). */
  async restart(): Promise<void> {
    const { stdout } = await run('bash', [join(SCRIPTS, 'start.sh'), ...this.args], { timeout: 180_000 });
    if (stdout.trim() !== this.bootstrap) throw new Error(`start.sh printed "${stdout.trim()}"`);
  }

  /** kill -9: no controlled shutdown, no flush; resolves once the process is gone. */
  async kill9(): Promise<void> {
    const pid = this.pid;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), { timeout: 10_000, message: `broker pid ${pid} still alive` });
  }

  async stop(): Promise<void> {
    await run('bash', [join(SCRIPTS, 'stop.sh'), '--data-dir', this.dataDir], { timeout: 60_000 });
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
