#!/usr/bin/env bash
# Re-fetches the dashboard's vendored charting library (Chart.js, MIT) from the npm registry into the embedded
# assets. Not run by the build or the tests: the files are committed so the proxy builds and serves them offline.
# To upgrade, change the version here, run this script, check the dashboard (its browser test), and commit the
# files with the version in the message.
# Usage: scripts/update-ui-assets.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.6.1
target=src/OaiProxy.Storage/Dashboard/assets/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "chart.js@$version" >/dev/null && tar xzf "chart.js-$version.tgz")
cp "$work/package/dist/chart.umd.min.js" "$target/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$target/chart.js-LICENSE.md"
head -c 40 "$target/chart.umd.min.js" | grep -q "Chart.js v$version" || { echo "Unexpected file: $target/chart.umd.min.js" >&2; exit 1; }
echo "Chart.js $version copied to $target:"
sha256sum "$target/chart.umd.min.js" "$target/chart.js-LICENSE.md"
