#!/usr/bin/env bash
# Installs the npm clients of the functional tests into test/clients/node_modules with `npm ci` (exact versions from
# test/clients/package-lock.json). Skipped when node_modules was installed from the same lock file and package.json
# (a hash stamp), so repeated runs are fast. Called by scripts/test.sh; runnable alone.
set -euo pipefail
cd "$(dirname "$0")/../test/clients"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: '$tool' is not installed; the client tests need Node.js 20 or newer and npm (on Debian: apt-get install nodejs npm)." >&2
    exit 1
  fi
done
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old; the client tests need Node.js 20 or newer." >&2
  exit 1
fi

stamp=node_modules/.oaiproxy-install-stamp
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "npm clients: up to date (test/clients/node_modules)"
  exit 0
fi
echo "npm clients: npm ci in test/clients"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
