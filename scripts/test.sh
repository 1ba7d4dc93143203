#!/usr/bin/env bash
# Sets up, starts a redis-server on loopback for the tests, runs the whole test suite (then the browser
# tests), stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
port=${CIRCLES_TEST_REDIS_PORT:-6390}
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
stop() { [[ -f $dir/redis.pid ]] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; rm -rf "$dir"; }
trap stop EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export CIRCLES_TEST_REDIS_URL="redis://127.0.0.1:$port"
# Setup installed and the build makes every prerequisite (the circles binary, the Python peers): tests
# that need one run and fail when it is missing instead of being skipped.
export CI="${CI:-true}"
swift build --build-tests
if (($#)); then
  swift test --skip-build "$@"
else
  # Three passes, so that no pass starves its own timed tests on two cores: the in-process tests; the
  # tests that run processes (the circles commands, redis-sentinel clusters: CirclesCommandTests and
  # the Sentinel suites); then the flood tests (suites named *BoundsTests), which load both cores for
  # seconds.
  processes='CirclesCommandTests|Sentinel'
  swift test --skip-build --skip "BoundsTests|$processes"
  swift test --skip-build --filter "$processes" --skip 'BoundsTests'
  swift test --skip-build --filter 'BoundsTests'
fi
# The playground and the client module in headless Chromium (CIRCLES_SKIP_BROWSER=1 skips them).
[[ ${CIRCLES_SKIP_BROWSER:-0} == 1 ]] || bash scripts/browser-test.sh
# The main job of README in release mode: static build, sample circles launched, a play, a clean stop
# (CIRCLES_SKIP_RELEASE=1 skips it).
[[ ${CIRCLES_SKIP_RELEASE:-0} == 1 ]] || bash scripts/release-check.sh
