#!/usr/bin/env bash
# Publishes oai-proxy as one Native AOT executable for linux-x64: no JIT, ~50 MB idle instead of ~90 MB, ready
# ~0.1 s after start; steady-state latency is a little higher than the JIT build's (no dynamic PGO; see bench/PERFORMANCE.md).
# Custom components loaded by type name need the JIT build (the dotnet tool); every built-in works in both.
# Usage: scripts/publish-native.sh [output directory, default artifacts/native]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/native}

# The AOT compiler links with clang (any clang-NN works) against zlib, as .NET's Native AOT prerequisites list.
cc=$(command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | grep -E 'clang-[0-9]+$' | sort -V | tail -1 || true)
need=()
[ -n "$cc" ] || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  [ -n "$cc" ] || cc=$(command -v clang)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/OaiProxy.Server -c Release -r linux-x64 -nologo -v quiet \
  -p:PublishAot=true -p:CppCompilerAndLinker="$cc" -o "$out"
echo "Native oai-proxy: $out/oai-proxy"
