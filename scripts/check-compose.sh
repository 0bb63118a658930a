#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (none runs on these machines or in CI):
# the schema through docker-compose v1's offline `config`, then the parts docs/docker.md promises:
# the four services, their healthchecks, the published ports and the app's environment names.
# Usage: scripts/check-compose.sh [repo-dir]   (default: the repository root)
set -euo pipefail

repo_dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
compose_file="$repo_dir/docker-compose.yml"

fail() {
  echo "check-compose: FAIL: $*" >&2
  exit 1
}

# Installs a Debian package quietly, showing apt's output only when it fails.
apt_install() {
  local log
  log=$(mktemp)
  echo "check-compose: installing Debian package $1"
  [[ $(id -u) -eq 0 ]] || fail "package $1 is missing and installing it needs root"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "could not install $1"
  fi
  rm -f "$log"
}

[[ -f "$compose_file" ]] || fail "$compose_file not found"

# docker-compose v1 validates and renders a file offline; the v2 plugin needs the docker CLI.
command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose

# The rendered config is YAML; v1's Debian package depends on python3-yaml, so this normally
# finds the system python even when another python3 comes first on PATH.
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [[ -z "$python" ]]; then
  apt_install python3-yaml
  python=/usr/bin/python3
fi

# An empty env file and a cleared environment, so the check sees the file's own defaults
# rather than whatever a local .env or the caller's shell sets.
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
: >"$work_dir/empty.env"
# Usage: compose_config [NAME=value...] [config options...]
compose_config() {
  local assignments=()
  while (($# > 0)) && [[ $1 == *=* ]]; do
    assignments+=("$1")
    shift
  done
  env -u EVENTBUS_TYPE -u KAFKA_BROKERS -u NATS_URL -u DATABASE_URL -u PORT -u CONFIG_FILE -u LOG_LEVEL \
    "${assignments[@]}" docker-compose -f "$compose_file" --env-file "$work_dir/empty.env" config "$@"
}

compose_config -q || fail "docker-compose rejected $compose_file (see the error above)"
compose_config >"$work_dir/default.yml"
# The documented usage: EVENTBUS_TYPE picks the backend.
compose_config EVENTBUS_TYPE=kafka >"$work_dir/kafka.yml"
compose_config EVENTBUS_TYPE=nats >"$work_dir/nats.yml"

"$python" - "$work_dir" <<'PY'
import sys
import yaml

work_dir = sys.argv[1]
ALLOWED_ENV = {
    "EVENTBUS_TYPE", "KAFKA_BROKERS", "NATS_URL", "DATABASE_URL", "PORT", "CONFIG_FILE", "LOG_LEVEL", "NODE_ENV",
}
# Without these the container cannot select or reach a broker, or would keep its data in an
# embedded database inside the container instead of the postgres service.
REQUIRED_ENV = {"EVENTBUS_TYPE", "KAFKA_BROKERS", "NATS_URL", "DATABASE_URL"}
# Port each service publishes on the host; None: none, reachable inside the compose network only,
# so it cannot clash with a PostgreSQL the host runs itself.
PUBLISHED = {"app": 3000, "kafka": 9092, "nats": 4222, "postgres": None}
errors = []


def load(name):
    with open(f"{work_dir}/{name}.yml") as f:
        return yaml.safe_load(f) or {}


def environment(service):
    env = service.get("environment") or {}
    # Both the mapping form and the list form (NAME=value) occur in rendered output.
    if isinstance(env, list):
        return {item.split("=", 1)[0]: (item.split("=", 1) + [None])[1] for item in env}
    return env


def published_ports(service):
    ports = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            published, target = entry.get("published"), entry.get("target")
        else:
            # Short syntax: [ip:]published:target[/protocol]
            parts = str(entry).split("/")[0].split(":")
            published, target = (parts[-2], parts[-1]) if len(parts) > 1 else (None, parts[0])
        if published is not None and str(published).isdigit():
            ports.add((int(published), int(str(target))))
    return ports


services = load("default").get("services") or {}
for name in PUBLISHED:
    if name not in services:
        errors.append(f"service '{name}' is missing")

for name, port in PUBLISHED.items():
    service = services.get(name)
    if service is None:
        continue
    if port is None and published_ports(service):
        errors.append(f"service '{name}' publishes a port on the host, where it may clash; keep it internal")
    if port is not None and (port, port) not in published_ports(service):
        errors.append(f"service '{name}' does not publish port {port}:{port}")
    if not service.get("healthcheck"):
        errors.append(f"service '{name}' has no healthcheck")

app = services.get("app")
if app is not None:
    names = set(environment(app))
    for extra in sorted(names - ALLOWED_ENV):
        errors.append(f"app environment name '{extra}' is not one of {sorted(ALLOWED_ENV)}")
    for absent in sorted(REQUIRED_ENV - names):
        errors.append(f"app environment lacks '{absent}'")
    depends_on = app.get("depends_on") or {}
    for dependency in ("postgres", "kafka", "nats"):
        condition = depends_on.get(dependency, {}).get("condition") if isinstance(depends_on, dict) else None
        if condition != "service_healthy":
            errors.append(f"app must depend on '{dependency}' with condition service_healthy")
    for config, expected in (("default", "memory"), ("kafka", "kafka"), ("nats", "nats")):
        if "EVENTBUS_TYPE" not in names:
            break
        actual = environment(load(config).get("services", {}).get("app", {})).get("EVENTBUS_TYPE")
        if actual != expected:
            where = "by default" if config == "default" else f"with EVENTBUS_TYPE={expected}"
            errors.append(f"app EVENTBUS_TYPE is '{actual}' {where}, expected '{expected}'")

for error in errors:
    print(f"check-compose: FAIL: {error}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY

echo "check-compose: OK ($compose_file: services app, postgres, kafka, nats with healthchecks; ports 3000, 9092, 4222; app env names and dependencies)"
