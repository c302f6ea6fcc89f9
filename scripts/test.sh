#!/usr/bin/env bash
# Runs every test of OaiProxy on a fresh Debian machine: installs what the tests need, builds, tests.
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. System packages the tests use: the local-model engine's native runtime, PostgreSQL (the storage tests
#    start their own throw-away server from its binaries; the package's own cluster is not needed), Redis
#    (the limit tests start their own redis-server on a free port) and chromium (the dashboard's browser test
#    drives it through Playwright, whose NuGet package brings its own node; no browser is ever downloaded).
need=()
for pkg in libgomp1 postgresql redis-server chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. The real npm clients the functional tests drive (test/clients: openai, @openai/agents, ai, @ai-sdk/openai,
#    @openai/codex), installed with npm ci from the lock file. A stamp in node_modules holds the hash of the lock file
#    and package.json it was installed from, so a repeated run skips the install.
scripts/install-test-clients.sh

# 3. Build once (warnings are errors), then run every test project.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OaiProxy.slnx -c Release -nologo -v quiet
results=$(mktemp -d)
set +e
dotnet test OaiProxy.slnx -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# 4. The Native AOT build (scripts/publish-native.sh), on a full run: every test that starts the server as a
#    process runs once more against the native binary.
if [ $# -eq 0 ]; then
  native=$(mktemp -d)
  scripts/publish-native.sh "$native"
  set +e
  OAIPROXY_SERVER_BINARY="$native/oai-proxy" dotnet test test/OaiProxy.FunctionalTests -c Release --no-build -nologo \
    --filter "Category=ServerProcess" 2>&1 | tee -a "$results/output.txt"
  native_status=${PIPESTATUS[0]}
  set -e
  rm -rf "$native"
  if [ "$status" -eq 0 ]; then status=$native_status; fi
fi

# 5. One closing line for CI: totals over all test projects.
passed=$(grep -ohE 'Passed: +[0-9]+' "$results/output.txt" | awk '{s+=$2} END {print s+0}')
failed=$(grep -ohE 'Failed: +[0-9]+' "$results/output.txt" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -ohE 'Skipped: +[0-9]+' "$results/output.txt" | awk '{s+=$2} END {print s+0}')
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
