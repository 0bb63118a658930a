#!/usr/bin/env bash
# Keeps the deployment environment documented: every override the service reads must appear in
# docs/configuration.md and be set in .env.example, and every env name docker-compose.yml's app
# service uses must appear in docs/configuration.md. Names are matched as whole words, case-sensitively.
# Usage: scripts/check-env-docs.sh [repo-dir]   (default: the repository root)
set -euo pipefail

repo_dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
readme="$repo_dir/docs/configuration.md"
env_example="$repo_dir/.env.example"
compose_file="$repo_dir/docker-compose.yml"

# The environment overrides read by src/infrastructure/config.
env_names=(EVENTBUS_TYPE KAFKA_BROKERS NATS_URL DATABASE_URL PORT CONFIG_FILE LOG_LEVEL)

problems=()
for file in "$readme" "$env_example" "$compose_file"; do
  [[ -f "$file" ]] || problems+=("$file not found")
done
if ((${#problems[@]} > 0)); then
  printf 'check-env-docs: FAIL: %s\n' "${problems[@]}" >&2
  exit 1
fi

# Prints the lines of the `app` service: from its key to the next key at service level or above,
# with comments dropped so names mentioned in comments do not count.
app_service_lines() {
  awk '
    /^services:[[:space:]]*(#.*)?$/ { in_services = 1; next }
    in_services && /^[^[:space:]#]/ { in_services = 0 }
    !in_services || /^[[:space:]]*(#.*)?$/ { next }
    {
      match($0, /^ */)
      if (service_indent == "") service_indent = RLENGTH
      if (RLENGTH <= service_indent) in_app = ($0 ~ /^ *app:[[:space:]]*(#.*)?$/)
      if (in_app) { sub(/[[:space:]]+#.*$/, ""); print }
    }
  ' "$1"
}

# Env names the app service uses: ${NAME} / $NAME interpolations anywhere in the service, and the
# keys of its environment block (mapping `NAME: value` or list `- NAME=value`).
app_env_names() {
  local lines
  lines=$(app_service_lines "$1")
  # $$ is compose's escape for a literal dollar sign, not an interpolation.
  grep -oE '\$\{?[A-Za-z_][A-Za-z0-9_]*' <<<"${lines//\$\$/}" | tr -d '{' | cut -c2- || true
  awk '
    {
      match($0, /^ */)
      indent = RLENGTH
      if (in_env && indent <= env_indent) in_env = 0
      if (in_env) {
        line = substr($0, indent + 1)
        sub(/^-[[:space:]]*/, "", line)
        if (match(line, /^[A-Za-z_][A-Za-z0-9_]*/)) print substr(line, 1, RLENGTH)
      }
      if ($0 ~ /^ *environment:[[:space:]]*$/) { in_env = 1; env_indent = indent }
    }
  ' <<<"$lines"
}

for name in "${env_names[@]}"; do
  grep -qw -- "$name" "$readme" || problems+=("$name is not mentioned in docs/configuration.md")
  # Set or shown commented out, e.g. `NAME=value` or `# NAME=value`.
  grep -Eq "^[[:space:]]*(#[[:space:]]*)?(export[[:space:]]+)?${name}=" "$env_example" ||
    problems+=("$name is not set in .env.example")
done

mapfile -t compose_names < <(app_env_names "$compose_file" | sort -u)
if ((${#compose_names[@]} == 0)); then
  problems+=("found no env names in the app service of docker-compose.yml")
fi
for name in "${compose_names[@]}"; do
  # Names from the list above were already checked.
  [[ " ${env_names[*]} " == *" $name "* ]] && continue
  grep -qw -- "$name" "$readme" || problems+=("$name (used by docker-compose.yml app service) is not mentioned in docs/configuration.md")
done

if ((${#problems[@]} > 0)); then
  printf 'check-env-docs: FAIL: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check-env-docs: OK (${env_names[*]}; compose app uses: ${compose_names[*]})"
