import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { AppConfig } from '../../../src/infrastructure/config/app.config';
import { loadAppConfig } from '../../../src/infrastructure/config/load-app-config';

/**
 * What scripts/check-kubernetes.mjs cannot know: that the manifests configure this service the way
 * it reads its configuration, and that the grace period covers its shutdown. Also that the check
 * fails on a broken manifest, naming the file and the problem.
 */
const root = join(__dirname, '..', '..', '..');
const folder = join(root, 'deploy', 'kubernetes');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}
interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  volumeMounts: { name: string; mountPath: string }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { sleep: { seconds: number } } };
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  containers: Container[];
  volumes: { name: string; configMap?: { name: string; items: { key: string; path: string }[] } }[];
}

const read = <T>(file: string): T => parse(readFileSync(join(folder, file), 'utf8')) as T;
const configMap = read<{ metadata: { name: string }; data: Record<string, string> }>('configmap.yaml');
const secret = read<{ metadata: { name: string }; stringData: Record<string, string> }>('secret.yaml');
const pod = read<{ spec: { template: { spec: PodSpec } } }>('deployment.yaml').spec.template.spec;
const container = pod.containers[0]!;

/** The container's environment, as Kubernetes would resolve it from the ConfigMap and the Secret. */
function containerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env) {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (configMapKeyRef?.name === configMap.metadata.name)
      env[variable.name] = configMap.data[configMapKeyRef.key]!;
    else if (secretKeyRef?.name === secret.metadata.name)
      env[variable.name] = secret.stringData[secretKeyRef.key]!;
    else throw new Error(`${variable.name}: no value found in the manifests`);
  }
  return env;
}

/** Loads the ConfigMap's config.yaml with the container's environment, as the service starts. */
function loadDeployedConfig(overrides: Record<string, string> = {}): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-config-'));
  try {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, configMap.data['config.yaml']!);
    // The file option wins over CONFIG_FILE, whose path exists in the container only.
    return loadAppConfig({ file, env: { ...containerEnv(), ...overrides } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('CONFIG_FILE points at the mounted config.yaml of the ConfigMap', () => {
    const volume = pod.volumes.find((v) => v.configMap?.name === configMap.metadata.name)!;
    const mount = container.volumeMounts.find((m) => m.name === volume.name)!;
    const item = volume.configMap!.items.find((i) => i.key === 'config.yaml')!;
    expect(containerEnv().CONFIG_FILE).toBe(`${mount.mountPath}/${item.path}`);
  });

  it('the ConfigMap and the Secret make a configuration the service accepts, on either broker', () => {
    const config = loadDeployedConfig();
    expect(config.eventbus.type).toBe('kafka');
    expect(config.database.url).toMatch(/^postgres:\/\//);
    expect(loadDeployedConfig({ EVENTBUS_TYPE: 'nats' }).eventbus.type).toBe('nats');
  });

  it('the probes reach the health routes on the port the service listens on', () => {
    const port = container.ports.find((p) => p.name === container.livenessProbe.httpGet.port)!;
    expect(port.containerPort).toBe(loadDeployedConfig().service.port);
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.readinessProbe.httpGet.port).toBe(port.name);
  });

  it('the grace period covers the preStop sleep and every bounded step of the shutdown', () => {
    const config = loadDeployedConfig();
    // The steps of Service.stop() that wait, in order, each at its bound (milliseconds).
    const shutdown =
      config.service.requestTimeout +
      config.eventbus.healthCheck.timeout +
      config.outbox.publishTimeout +
      config.eventbus.shutdownTimeout;
    const preStop = container.lifecycle.preStop.sleep.seconds * 1000;
    // At least one statement's bound on top, for the database work of those steps.
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
      preStop + shutdown + config.database.statementTimeout,
    );
  });

  it('scripts/check-kubernetes.mjs fails on a broken manifest, naming the file, the line and the problem', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'deploy-broken-'));
    try {
      cpSync(folder, copy, { recursive: true });
      const deployment = join(copy, 'deployment.yaml');
      writeFileSync(
        deployment,
        readFileSync(deployment, 'utf8')
          .replace(/^ {2}replicas: 3$/m, '  replica: 3')
          .replace(/^( +)periodSeconds: 5$/m, '$1periodSeconds: five'),
      );
      const run = promisify(execFile)(process.execPath, [
        join(root, 'scripts', 'check-kubernetes.mjs'),
        copy,
      ]);
      const failure = await run.then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(
        /deployment\.yaml:\d+: spec\.replica: unknown field \(did you mean "replicas"\?\)/,
      );
      expect(failure?.stderr).toMatch(
        /deployment\.yaml:\d+: spec\.template\.spec\.containers\[0\]\.readinessProbe\.periodSeconds: must be integer/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 30_000);
});
