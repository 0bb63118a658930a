#!/usr/bin/env bash
# Fetches the nats-server of Debian's unstable distribution (the newest Debian packages) and prints
# the path of its binary, for NATS_SERVER_BIN="$(bash scripts/nats/fetch-server.sh)". Older servers
# (Debian 12 has 2.9) stall a young file-storage stream for tens of milliseconds at a time; see
# docs/nats.md#which-server. The package is checked against the SHA256 in the archive's index; the
# binary is kept under .brokers/nats-server/<version>, so a second run downloads nothing.
# Messages go to stderr; stdout is the path only. DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."

mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
arch="$(dpkg --print-architecture)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl -fsS --retry 3 -o "$work/Packages.xz" "$mirror/dists/unstable/main/binary-$arch/Packages.xz"
# The nats-server stanza's Version, Filename and SHA256, on one line.
read -r version filename sha256 < <(xz -dc "$work/Packages.xz" | awk '
  /^Package: / { inside = ($2 == "nats-server") }
  inside && /^Version: / { version = $2 }
  inside && /^Filename: / { filename = $2 }
  inside && /^SHA256: / { sha = $2 }
  END { if (version == "") exit 1; print version, filename, sha }
') || { echo "no nats-server in $mirror unstable for $arch" >&2; exit 1; }

dir=".brokers/nats-server/$version"
bin="$dir/usr/sbin/nats-server"
if [ ! -x "$bin" ]; then
  echo "fetching nats-server $version from $mirror" >&2
  curl -fsS --retry 3 -o "$work/nats-server.deb" "$mirror/$filename"
  echo "$sha256  $work/nats-server.deb" | sha256sum --check --quiet >&2
  mkdir -p "$dir"
  dpkg-deb -x "$work/nats-server.deb" "$dir"
fi
echo "nats-server $("$bin" --version | awk '{print $2}') at $bin" >&2
echo "$PWD/$bin"
