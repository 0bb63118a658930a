#!/usr/bin/env bash
# Fetches Kafka jars from Maven Central, once per version of their pom, and prints their directory:
#   broker  scripts/kafka/pom.xml        -> .brokers/kafka/libs        (the broker start.sh runs)
#   tools   scripts/kafka/tools/pom.xml  -> .brokers/kafka/tools-libs  (Kafka's console clients)
# The marker names the pom the jars came from, so a version bump refetches. Runs in parallel (a
# test with two brokers) take turns on a lock: one fetches, the others reuse.
# Usage: scripts/kafka/fetch-jars.sh broker|tools
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
script_dir="$repo_dir/scripts/kafka"
case "${1:-}" in
  broker) pom="$script_dir/pom.xml"; libs_dir="$repo_dir/.brokers/kafka/libs" ;;
  tools) pom="$script_dir/tools/pom.xml"; libs_dir="$repo_dir/.brokers/kafka/tools-libs" ;;
  *) echo "kafka/fetch-jars.sh: usage: fetch-jars.sh broker|tools" >&2; exit 2 ;;
esac

marker="$libs_dir/.fetched-$(sha1sum "$pom" | cut -c1-12)"
mkdir -p "$(dirname "$libs_dir")"
exec 9>"$(dirname "$libs_dir")/.fetch.lock"
if command -v flock >/dev/null; then flock 9; fi # util-linux; without it, start one broker first
if [[ ! -f "$marker" ]]; then
  command -v mvn >/dev/null || { echo "kafka/fetch-jars.sh: maven is required to fetch the Kafka jars" >&2; exit 1; }
  echo "kafka/fetch-jars.sh: fetching Kafka $1 jars from Maven Central into $libs_dir" >&2
  rm -rf "$libs_dir"
  mkdir -p "$libs_dir"
  mvn -B -q -f "$pom" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs_dir" >&2
  touch "$marker"
fi
echo "$libs_dir"
