#!/usr/bin/env bash
# Validates docker-compose.yml's scale profile without a Docker engine: app-2 and app-3 are the app
# service in all but the published port, the proxy balances over all three and checks readiness,
# the default profile still starts only the stack of scripts/check-compose.sh, and HAProxy itself
# accepts deploy/compose/haproxy.cfg (`haproxy -c`, with Debian's binary unpacked into a temporary
# directory: installing the package would start a daemon).
# Usage: scripts/check-compose-scale.sh [repo-dir]   (default: the repository root)
set -euo pipefail

repo_dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
compose_file="$repo_dir/docker-compose.yml"
haproxy_cfg="$repo_dir/deploy/compose/haproxy.cfg"

fail() {
  echo "check-compose-scale: FAIL: $*" >&2
  exit 1
}

[[ -f "$compose_file" ]] || fail "$compose_file not found"
[[ -f "$haproxy_cfg" ]] || fail "$haproxy_cfg not found"
command -v docker-compose >/dev/null 2>&1 || fail "docker-compose is missing (scripts/check-compose.sh installs it)"

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
: >"$work_dir/empty.env"

# Rendered as scripts/check-compose.sh renders it: the file's own defaults, no caller environment.
env -u EVENTBUS_TYPE -u KAFKA_BROKERS -u NATS_URL -u DATABASE_URL -u PORT -u CONFIG_FILE -u LOG_LEVEL \
  docker-compose -f "$compose_file" --env-file "$work_dir/empty.env" config >"$work_dir/rendered.yml" ||
  fail "docker-compose rejected $compose_file (see the error above)"

# The compose file and haproxy.cfg agree; its problems are printed, then HAProxy's own check runs.
layout_ok=true
(cd "$repo_dir" && node - "$work_dir/rendered.yml" "$haproxy_cfg") <<'JS' || layout_ok=false
const { readFileSync } = require('node:fs');
const { isDeepStrictEqual } = require('node:util');
const { parse } = require('yaml');

const [rendered, haproxyCfg] = process.argv.slice(2);
const services = parse(readFileSync(rendered, 'utf8')).services ?? {};
const errors = [];
const REPLICAS = ['app-2', 'app-3'];
const INSTANCES = ['app', ...REPLICAS];
// Fields a replica shares with app; only profiles and the published port may differ.
const SHARED = ['build', 'image', 'environment', 'depends_on', 'healthcheck', 'stop_grace_period'];

const app = services.app;
if (!app) errors.push("service 'app' is missing");
if (app?.profiles?.length) errors.push("service 'app' must stay in the default profile (no profiles)");
for (const [name, service] of Object.entries(services)) {
  const scale = (service.profiles ?? []).includes('scale');
  if ([...REPLICAS, 'proxy'].includes(name) !== scale) {
    errors.push(`service '${name}' ${scale ? 'must not be' : 'must be'} in the scale profile only`);
  }
}
for (const name of REPLICAS) {
  const replica = services[name];
  if (!replica || !app) {
    if (!replica) errors.push(`service '${name}' is missing`);
    continue;
  }
  for (const field of SHARED) {
    if (!isDeepStrictEqual(replica[field], app[field])) errors.push(`service '${name}': ${field} differs from app's`);
  }
  if (replica.ports?.length) errors.push(`service '${name}' publishes a port; it is reached through the proxy`);
}

const proxy = services.proxy;
if (!proxy) {
  errors.push("service 'proxy' is missing");
} else {
  if (!proxy.healthcheck) errors.push("service 'proxy' has no healthcheck");
  const published = (proxy.ports ?? []).some((port) =>
    typeof port === 'object' ? Number(port.published) === 8080 : /(^|:)8080:8080(\/tcp)?$/.test(String(port)),
  );
  if (!published) errors.push("service 'proxy' does not publish port 8080:8080");
  for (const name of INSTANCES) {
    if (proxy.depends_on?.[name]?.condition !== 'service_healthy') {
      errors.push(`service 'proxy' must depend on '${name}' with condition service_healthy`);
    }
  }
  const mounted = (proxy.volumes ?? []).some((volume) =>
    typeof volume === 'object'
      ? volume.source === haproxyCfg && volume.target === '/usr/local/etc/haproxy/haproxy.cfg'
      : String(volume).startsWith(`${haproxyCfg}:/usr/local/etc/haproxy/haproxy.cfg`),
  );
  if (!mounted) errors.push("service 'proxy' does not mount deploy/compose/haproxy.cfg as HAProxy's config");
}

// The proxy's part: a server per instance on the container port, checked on readiness.
const cfg = readFileSync(haproxyCfg, 'utf8');
for (const name of INSTANCES) {
  if (!new RegExp(`^\\s*server\\s+\\S+\\s+${name}:3000\\b`, 'm').test(cfg)) {
    errors.push(`haproxy.cfg has no server for ${name}:3000`);
  }
}
if (!/^\s*http-check\s+send\s+meth\s+GET\s+uri\s+\/health\/ready\b/m.test(cfg)) {
  errors.push('haproxy.cfg does not check GET /health/ready');
}
if (!/^\s*default-server\s.*\bcheck\b/m.test(cfg)) errors.push('haproxy.cfg servers are not health-checked');

for (const error of errors) console.error(`check-compose-scale: FAIL: ${error}`);
process.exit(errors.length > 0 ? 1 : 0);
JS

# Debian's haproxy binary, unpacked rather than installed; its libraries come from their packages.
haproxy_binary() {
  if command -v haproxy >/dev/null 2>&1; then
    command -v haproxy
    return
  fi
  [[ $(id -u) -eq 0 ]] || fail "haproxy is missing and fetching it needs root"
  local log="$work_dir/apt.log"
  if ! (cd "$work_dir" && apt-get download -q haproxy) >"$log" 2>&1; then
    apt-get update -qq >>"$log" 2>&1 || true
    (cd "$work_dir" && apt-get download -q haproxy) >>"$log" 2>&1 || {
      cat "$log" >&2
      fail "could not download the Debian package haproxy"
    }
  fi
  dpkg -x "$work_dir"/haproxy_*.deb "$work_dir/haproxy" || fail "could not unpack the haproxy package"
  local binary="$work_dir/haproxy/usr/sbin/haproxy"
  if ldd "$binary" | grep -q 'not found'; then
    mapfile -t libraries < <(apt-cache depends haproxy | awk '$1 ~ /Depends:/ && $2 ~ /^lib/ { print $2 }')
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${libraries[@]}" >>"$log" 2>&1 || {
      cat "$log" >&2
      fail "could not install haproxy's libraries: ${libraries[*]}"
    }
  fi
  echo "$binary"
}

haproxy=$(haproxy_binary)
# Warnings are expected: the instances' names resolve only inside the compose network.
if ! output=$("$haproxy" -c -f "$haproxy_cfg" 2>&1); then
  echo "$output" >&2
  fail "haproxy rejected deploy/compose/haproxy.cfg (see above)"
fi
$layout_ok || fail "the scale profile does not hold together (see above)"

echo "check-compose-scale: OK (scale profile: app, app-2, app-3 alike behind proxy on 8080, readiness checks; $("$haproxy" -v | head -1 | cut -d' ' -f1-3) accepts haproxy.cfg)"
