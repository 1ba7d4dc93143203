#!/usr/bin/env bash
# Sets up, builds circles in release mode and launches the sample circles of circles.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product circles
exec .build/release/circles launch --config circles.json "$@"
