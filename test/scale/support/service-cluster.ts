import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { type BrokerKind } from '../../support/brokers';
import { freePort } from '../../support/free-port';
import { spawnService, type ServiceProcess } from '../../support/service-process';
import { waitFor } from '../../support/wait-for';

/** A backend the instances share, and how its address reaches them. */
export interface ScaleBackend {
  readonly kind: Extract<BrokerKind, 'kafka' | 'nats'>;
  readonly label: string;
  /** The shipped config file of the backend. */
  readonly configFile: string;
  readonly addressEnv: 'KAFKA_BROKERS' | 'NATS_URL';
}

/**
 * The shipped config file of `backend` with the keys of `settings` set (paths of keys, as in the
 * YAML), written to a directory of its own. Brokers, port and database come from the usual
 * environment overrides.
 */
export function writeScaleConfig(
  backend: ScaleBackend,
  settings: ReadonlyArray<readonly [path: readonly string[], value: unknown]>,
): { file: string; remove: () => void } {
  const shipped = resolve(__dirname, '..', '..', '..', backend.configFile);
  const document = parseDocument(readFileSync(shipped, 'utf8'));
  for (const [path, value] of settings) document.setIn(path, value);
  const dir = mkdtempSync(join(tmpdir(), 'scale-config-'));
  const file = join(dir, `${backend.kind}.yaml`);
  writeFileSync(file, document.toString());
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One `node dist/main.js` of the cluster. */
export class ServiceInstance {
  constructor(
    readonly name: string,
    readonly base: string,
    readonly running: ServiceProcess,
  ) {}

  get pid(): number {
    return this.running.child.pid!;
  }

  get alive(): boolean {
    return this.running.child.exitCode === null && this.running.child.signalCode === null;
  }

  /** Its Prometheus text: every counter is this process's own. */
  async metrics(): Promise<string> {
    const response = await fetch(`${this.base}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return response.text();
  }

  /** No shutdown, no flush: what a crash or the OOM killer does. */
  async kill9(): Promise<void> {
    this.running.child.kill('SIGKILL');
    await this.running.exited;
  }
}

/** Long enough for a Kafka member to wait out a dead one of an earlier run (its session timeout). */
const START_TIMEOUT = 60_000;

/**
 * Instances of the real service on one database and one broker, each on a port of its own, as a
 * deployment scaled out would run them.
 */
export class ServiceCluster {
  readonly instances: ServiceInstance[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts one more instance and waits until it reports ready. */
  async start(name: string): Promise<ServiceInstance> {
    const port = await freePort();
    const running = spawnService({ ...this.env, PORT: String(port) });
    const instance = new ServiceInstance(name, `http://127.0.0.1:${port}`, running);
    this.instances.push(instance);
    await waitFor(
      async () => {
        if (!instance.alive) throw new Error(`${name} exited:\n${tail(running.output())}`);
        const ready = await fetch(`${instance.base}/health/ready`, { signal: AbortSignal.timeout(2_000) })
          .then((response) => response.status === 200)
          .catch(() => false);
        return ready;
      },
      {
        timeout: START_TIMEOUT,
        interval: 100,
        message: () => `${name} not ready:\n${tail(running.output())}`,
      },
    );
    return instance;
  }

  live(): ServiceInstance[] {
    return this.instances.filter((instance) => instance.alive);
  }

  /** SIGTERM to every live instance (a graceful stop), SIGKILL to any still running after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    const live = this.live();
    for (const instance of live) instance.running.child.kill('SIGTERM');
    await Promise.all(
      live.map(async (instance) => {
        const timer = setTimeout(() => instance.running.child.kill('SIGKILL'), graceMs);
        await instance.running.exited;
        clearTimeout(timer);
      }),
    );
  }
}

export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}
