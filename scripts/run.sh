#!/usr/bin/env bash
# Sets up, builds circles in release mode and runs the main job: the launcher with the sample config
# (three circles on two ports, each running its start script). Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Whole-program speed without unsafeFlags in Package.swift (dependents of the libraries build without it).
swift build -c release --product circles -Xswiftc -cross-module-optimization
exec .build/release/circles launch --config samples/circles.json "$@"
