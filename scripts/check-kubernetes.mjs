#!/usr/bin/env node
// Validates the Kubernetes manifests offline: CI has neither a cluster nor the network.
//  1. Each document against the API schema of its apiVersion and kind, as compiled into the
//     kubernetes-models package (the Kubernetes 1.33 OpenAPI, enums included): types, required
//     fields, enums, formats. A kind that package does not know is an error.
//  2. No unknown fields, as the API server's strict field validation (kubectl's default) would
//     refuse them: the OpenAPI schema allows extra properties, so a mis-indented key would pass (1).
//     The fields come from the same package's type declarations, read with the TypeScript compiler.
//  3. What the API server checks beyond the schema, and what ties the manifests together: names,
//     a workload's selector matches its pod labels, Services and PodDisruptionBudgets select those
//     pods, referenced ConfigMaps, Secrets, keys and named ports exist, and kustomization.yaml lists
//     every manifest of its folder.
// Usage: node scripts/check-kubernetes.mjs [dir...]   (default: deploy/kubernetes)
// Prints each problem as `file:line: path: problem` and exits 1 if there is any.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const MODELS = 'kubernetes-models';
const KUSTOMIZE_API = 'kustomize.config.k8s.io/v1beta1';
// The fields of a Kustomization (kustomize has no schema in kubernetes-models): a typo is an error.
const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'labels',
  'commonLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);
// Group versions that kubernetes-models still ships but Kubernetes no longer serves (the API
// server answers "no matches for kind"); their kinds moved to the stable version.
const REMOVED_API_VERSIONS = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'policy/v1beta1',
  'batch/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'networking.k8s.io/v1beta1',
]);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const problems = [];
// Set when a file is not valid YAML: the checks across manifests would then report what is missing.
let unreadable = false;

/** Every .yaml/.yml file under `dir`, sorted. */
function manifestFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((file) => /\.ya?ml$/.test(file) && statSync(file).isFile())
    .sort();
}

/** One parsed document with what is needed to point at a line in its file. */
class Manifest {
  constructor(file, document, lineCounter) {
    this.file = file;
    this.document = document;
    this.lineCounter = lineCounter;
    this.object = document.toJS();
  }

  get kind() {
    return this.object.kind;
  }

  get name() {
    return this.object.metadata?.name;
  }

  /**
   * Reports `message` at `path` (an array of keys and indices), on the line of the deepest part of the
   * path found: a key's own line, an item's first line.
   */
  report(path, message) {
    let line;
    for (let depth = path.length; depth >= 0 && line === undefined; depth--) {
      const node = this.nodeAt(path.slice(0, depth));
      if (node?.range) line = this.lineCounter.linePos(node.range[0]).line;
    }
    problems.push({
      file: this.file,
      line,
      text: `${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`,
    });
  }

  /** The key node of a mapping entry, the item of a sequence, the document's content for []. */
  nodeAt(path) {
    if (path.length === 0) return this.document.contents;
    const parent = path.length === 1 ? this.document.contents : this.document.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      return parent.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === last)?.key;
    }
    return isSeq(parent) ? parent.items[last] : undefined;
  }
}

/** A file's name as the caller would type it: relative to the working directory when inside it. */
function display(file) {
  const path = relative(process.cwd(), file);
  return path.startsWith('..') ? file : path;
}

function formatPath(path) {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

function readManifests(files) {
  const manifests = [];
  for (const file of files) {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(readFileSync(file, 'utf8'), { lineCounter });
    for (const document of Array.isArray(documents) ? documents : [documents]) {
      const errors = [...document.errors];
      if (errors.length > 0) {
        for (const error of errors) {
          const { line } = lineCounter.linePos(error.pos[0]);
          const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
          problems.push({ file, line, text: `YAML: ${message}` });
          unreadable = true;
        }
        continue;
      }
      if (document.contents === null) continue;
      const manifest = new Manifest(file, document, lineCounter);
      if (manifest.object === null || typeof manifest.object !== 'object' || Array.isArray(manifest.object)) {
        manifest.report([], 'a manifest must be a mapping with apiVersion and kind');
        continue;
      }
      manifests.push(manifest);
    }
  }
  return manifests;
}

/** The kubernetes-models module and class of an apiVersion and kind, or undefined if it has none. */
function modelOf({ apiVersion, kind }) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) {
    return undefined;
  }
  const module = `${MODELS}/${apiVersion}/${kind}`;
  try {
    const model = require(module)[kind];
    return typeof model === 'function' && model.kind === kind ? { module, model } : undefined;
  } catch {
    return undefined;
  }
}

/** (1) The compiled OpenAPI schema. */
function checkSchema(manifest, model) {
  try {
    new model(manifest.object).validate();
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    for (const issue of error.errors) {
      const path = issue.instancePath
        .split('/')
        .slice(1)
        .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((key) => (/^\d+$/.test(key) ? Number(key) : key));
      const detail = issue.params?.allowedValues ? ` (${issue.params.allowedValues.join(', ')})` : '';
      manifest.report(path, `${issue.message}${detail}`);
    }
  }
}

/**
 * (2) The checker over the type declarations of the kinds in use: one virtual file declares a value
 * of each kind's interface, whose type then guides the walk over the manifest.
 */
function typesOf(modules) {
  const entries = [...modules];
  const fileName = join(root, '__kubernetes_kinds__.ts');
  const source = entries
    .map(
      ([module, kind], index) =>
        `import type { I${kind} as T${index} } from '${module}';\nexport declare const k${index}: T${index};`,
    )
    .join('\n');
  const options = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.fileExists = (
    (exists) => (name) =>
      name === fileName || exists(name)
  )(host.fileExists.bind(host));
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName));
  if (diagnostics.length > 0) {
    throw new Error(
      `cannot read the kubernetes-models types: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`,
    );
  }
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);
  const types = new Map();
  let index = 0;
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations[0];
    types.set(entries[index++][0], checker.getTypeAtLocation(declaration.name));
  }
  return { checker, types };
}

function checkUnknownFields(manifest, type, checker) {
  const walk = (value, declared, path) => {
    if (value === null || typeof value !== 'object') return;
    let type = checker.getNonNullableType(declared);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion()) {
      // e.g. `IJSONSchemaProps | boolean`: follow the one object type, if there is exactly one.
      const objects = type.types.filter((member) => member.flags & ts.TypeFlags.Object);
      if (objects.length !== 1) return;
      type = objects[0];
    }
    if (Array.isArray(value)) {
      const element = checker.isArrayType(type) ? checker.getTypeArguments(type)[0] : undefined;
      if (element) value.forEach((item, index) => walk(item, element, [...path, index]));
      return;
    }
    const indexed = type.getStringIndexType();
    if (indexed) {
      for (const [key, item] of Object.entries(value)) walk(item, indexed, [...path, key]);
      return;
    }
    const known = checker.getPropertiesOfType(type);
    // `object` or `{}`: free-form content (e.g. a RawExtension).
    if (known.length === 0) return;
    for (const [key, item] of Object.entries(value)) {
      const property = checker.getPropertyOfType(type, key);
      if (property) {
        walk(item, checker.getTypeOfSymbol(property), [...path, key]);
      } else {
        const guess = closest(
          key,
          known.map((symbol) => symbol.name),
        );
        manifest.report([...path, key], `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
    }
  };
  walk(manifest.object, type, []);
}

/** The known name nearest to `name` (case-insensitive edit distance at most 2), if any. */
function closest(name, names) {
  const distance = (a, b) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  let best;
  for (const candidate of names) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= 2 && (best === undefined || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
}

/** The pod template of a workload, or undefined. */
function podTemplate(manifest) {
  return WORKLOAD_KINDS.has(manifest.kind) ? manifest.object.spec?.template : undefined;
}

function selects(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}

/** (3) What the API server checks beyond the schema, and the references between manifests. */
function checkConsistency(manifests) {
  const byKind = (kind) => manifests.filter((manifest) => manifest.kind === kind);
  const named = (kind, name) => byKind(kind).find((manifest) => manifest.name === name);
  const workloads = manifests.filter((manifest) => podTemplate(manifest));

  for (const manifest of manifests) {
    const name = manifest.name;
    if (typeof name === 'string') {
      const pattern = manifest.kind === 'Service' ? DNS_1035_LABEL : DNS_SUBDOMAIN;
      const limit = manifest.kind === 'Service' ? 63 : 253;
      if (!pattern.test(name) || name.length > limit) {
        manifest.report(['metadata', 'name'], `"${name}" is not a valid ${manifest.kind} name`);
      }
    } else if (manifest.kind !== 'Kustomization') {
      manifest.report(['metadata'], 'metadata.name is required');
    }
  }

  for (const workload of workloads) {
    const template = podTemplate(workload);
    const matchLabels = workload.object.spec?.selector?.matchLabels;
    if (matchLabels && !selects(matchLabels, template.metadata?.labels)) {
      workload.report(['spec', 'selector'], 'does not match the pod template labels');
    }
    const spec = template.spec ?? {};
    const base = ['spec', 'template', 'spec'];
    const checkConfigMap = (path, name, key, optional) => {
      const target = named('ConfigMap', name);
      if (!target) {
        if (!optional) workload.report(path, `ConfigMap "${name}" is not among the manifests`);
      } else if (
        key !== undefined &&
        !(key in (target.object.data ?? {})) &&
        !(key in (target.object.binaryData ?? {}))
      ) {
        workload.report(path, `ConfigMap "${name}" has no key "${key}"`);
      }
    };
    const checkSecret = (path, name, key, optional) => {
      const target = named('Secret', name);
      if (!target) {
        if (!optional) workload.report(path, `Secret "${name}" is not among the manifests`);
      } else if (
        key !== undefined &&
        !(key in (target.object.data ?? {})) &&
        !(key in (target.object.stringData ?? {}))
      ) {
        workload.report(path, `Secret "${name}" has no key "${key}"`);
      }
    };
    for (const [group, containers] of [
      ['initContainers', spec.initContainers ?? []],
      ['containers', spec.containers ?? []],
    ]) {
      containers.forEach((container, index) => {
        const at = [...base, group, index];
        if (typeof container.name === 'string' && !DNS_LABEL.test(container.name)) {
          workload.report([...at, 'name'], `"${container.name}" is not a valid container name`);
        }
        const portNames = new Set();
        (container.ports ?? []).forEach((port, p) => {
          if (port.name === undefined) return;
          if (!PORT_NAME.test(port.name) || port.name.length > 15) {
            workload.report([...at, 'ports', p, 'name'], `"${port.name}" is not a valid port name`);
          }
          portNames.add(port.name);
        });
        (container.env ?? []).forEach((variable, e) => {
          const from = variable.valueFrom ?? {};
          if (from.configMapKeyRef) {
            const { name, key, optional } = from.configMapKeyRef;
            checkConfigMap([...at, 'env', e, 'valueFrom', 'configMapKeyRef'], name, key, optional);
          }
          if (from.secretKeyRef) {
            const { name, key, optional } = from.secretKeyRef;
            checkSecret([...at, 'env', e, 'valueFrom', 'secretKeyRef'], name, key, optional);
          }
        });
        (container.envFrom ?? []).forEach((source, e) => {
          if (source.configMapRef) {
            checkConfigMap(
              [...at, 'envFrom', e],
              source.configMapRef.name,
              undefined,
              source.configMapRef.optional,
            );
          }
          if (source.secretRef) {
            checkSecret([...at, 'envFrom', e], source.secretRef.name, undefined, source.secretRef.optional);
          }
        });
        const volumes = new Set((spec.volumes ?? []).map((volume) => volume.name));
        (container.volumeMounts ?? []).forEach((mount, m) => {
          if (!volumes.has(mount.name)) {
            workload.report([...at, 'volumeMounts', m, 'name'], `no volume "${mount.name}" in the pod`);
          }
        });
        const handlers = [
          ['livenessProbe', container.livenessProbe],
          ['readinessProbe', container.readinessProbe],
          ['startupProbe', container.startupProbe],
          ['lifecycle', container.lifecycle?.preStop, 'preStop'],
          ['lifecycle', container.lifecycle?.postStart, 'postStart'],
        ];
        for (const [field, handler, hook] of handlers) {
          const port = handler?.httpGet?.port ?? handler?.tcpSocket?.port ?? handler?.grpc?.port;
          if (typeof port === 'string' && !portNames.has(port)) {
            const path = [...at, field, ...(hook ? [hook] : [])];
            workload.report(path, `port "${port}" is not a named port of the container`);
          }
        }
      });
    }
    (spec.volumes ?? []).forEach((volume, v) => {
      const at = [...base, 'volumes', v];
      if (volume.configMap) {
        const { name, optional, items = [] } = volume.configMap;
        checkConfigMap([...at, 'configMap'], name, undefined, optional);
        for (const item of items) checkConfigMap([...at, 'configMap'], name, item.key, optional);
      }
      if (volume.secret) {
        const { secretName, optional, items = [] } = volume.secret;
        checkSecret([...at, 'secret'], secretName, undefined, optional);
        for (const item of items) checkSecret([...at, 'secret'], secretName, item.key, optional);
      }
    });
  }

  for (const service of byKind('Service')) {
    const selector = service.object.spec?.selector;
    if (!selector) continue;
    const selected = workloads.filter((workload) =>
      selects(selector, podTemplate(workload).metadata?.labels),
    );
    if (selected.length === 0) {
      service.report(['spec', 'selector'], 'selects the pods of no workload among the manifests');
      continue;
    }
    const portNames = new Set(
      selected.flatMap((workload) =>
        (podTemplate(workload).spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name)),
      ),
    );
    (service.object.spec.ports ?? []).forEach((port, index) => {
      if (typeof port.targetPort === 'string' && !portNames.has(port.targetPort)) {
        service.report(
          ['spec', 'ports', index, 'targetPort'],
          `no selected container has a port named "${port.targetPort}"`,
        );
      }
    });
  }

  for (const budget of byKind('PodDisruptionBudget')) {
    if (budget.object.spec?.minAvailable !== undefined && budget.object.spec?.maxUnavailable !== undefined) {
      budget.report(['spec'], 'minAvailable and maxUnavailable cannot both be set');
    }
    const matchLabels = budget.object.spec?.selector?.matchLabels;
    if (
      matchLabels &&
      !workloads.some((workload) => selects(matchLabels, podTemplate(workload).metadata?.labels))
    ) {
      budget.report(['spec', 'selector'], 'selects the pods of no workload among the manifests');
    }
  }
}

/** A Kustomization: known fields only, its resources exist, and it lists every manifest of its folder. */
function checkKustomization(manifest, files) {
  for (const key of Object.keys(manifest.object)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) {
      const guess = closest(key, [...KUSTOMIZATION_FIELDS]);
      manifest.report([key], `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }
  const folder = dirname(manifest.file);
  const listed = new Set();
  (manifest.object.resources ?? []).forEach((resource, index) => {
    const path = resolve(folder, String(resource));
    if (!existsSync(path)) manifest.report(['resources', index], `${resource} does not exist`);
    listed.add(path);
  });
  for (const file of files) {
    if (dirname(file) === folder && file !== manifest.file && !listed.has(file)) {
      manifest.report(['resources'], `does not list ${basename(file)}, which therefore is never applied`);
    }
  }
}

const dirs = process.argv.length > 2 ? process.argv.slice(2) : [join(root, 'deploy', 'kubernetes')];
const files = dirs.flatMap((dir) => manifestFiles(resolve(dir)));
if (files.length === 0) {
  console.error(`check-kubernetes: FAIL: no manifests in ${dirs.join(', ')}`);
  process.exit(1);
}
const manifests = readManifests(files);
const typed = [];
for (const manifest of manifests) {
  const { apiVersion, kind } = manifest.object;
  if (apiVersion === KUSTOMIZE_API && kind === 'Kustomization') {
    checkKustomization(manifest, files);
    continue;
  }
  if (REMOVED_API_VERSIONS.has(apiVersion)) {
    manifest.report(
      ['apiVersion'],
      `"${apiVersion}" is no longer served by Kubernetes; use the stable version of ${kind}`,
    );
    continue;
  }
  const found = modelOf(manifest.object);
  if (!found) {
    manifest.report(
      ['kind'],
      `unknown apiVersion/kind "${apiVersion}/${kind}" (not in the Kubernetes 1.33 API)`,
    );
    continue;
  }
  checkSchema(manifest, found.model);
  typed.push({ manifest, found });
}
if (typed.length > 0) {
  const { checker, types } = typesOf(new Map(typed.map(({ found }) => [found.module, found.model.kind])));
  for (const { manifest, found } of typed) checkUnknownFields(manifest, types.get(found.module), checker);
}
if (!unreadable) checkConsistency(manifests);

if (problems.length > 0) {
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  const lines = problems.map(
    ({ file, line, text }) => `${display(file)}${line === undefined ? '' : `:${line}`}: ${text}`,
  );
  if (unreadable) lines.push('(the checks across manifests run once every file parses)');
  console.error(`check-kubernetes: FAIL\n${lines.join('\n')}`);
  process.exit(1);
}
const kinds = [...new Set(manifests.map((manifest) => manifest.kind))].join(', ');
console.log(`check-kubernetes: OK (${files.length} files, ${manifests.length} documents: ${kinds})`);
