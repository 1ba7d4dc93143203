#!/usr/bin/env bash
# Sets up, builds circles in release mode and runs the main job. Until the server lands (issue 5),
# the main job runs the sample circle scripts in scripts/samples through the Rhai engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product circles
for script in samples/*.rhai; do
  echo "== $script"
  .build/release/circles run "$script"
done
