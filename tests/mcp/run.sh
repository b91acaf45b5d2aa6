#!/bin/sh
# `make mcp-interop`: pai-diag mcp against the official MCP TypeScript SDK's
# client.  Installs the SDK, as package-lock.json pins it, into
# tests/mcp/node_modules when it is not there yet (or the lock changed),
# then runs interop.mjs, which ends with "interop: N passed, N failed".
#   tests/mcp/run.sh BUILD_DIR
set -u
cd "$(dirname "$0")"
BUILD=$(cd ../.. && pwd)/${1:-build}
for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "mcp-interop: $tool is not installed (scripts/install-deps --test installs it)" >&2
		exit 1
	fi
done
# npm ci leaves a copy of the lock in node_modules: newer means it changed.
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "mcp-interop: npm ci (the MCP TypeScript SDK, as package-lock.json pins it)" >&2
	npm ci --no-audit --no-fund --loglevel=error >&2 || {
		echo "mcp-interop: npm ci failed: is the npm registry reachable?" >&2
		exit 1
	}
fi
exec node interop.mjs "$BUILD"
