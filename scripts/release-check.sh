#!/usr/bin/env bash
# The README's main job as a newcomer gets it, checked end to end: builds circles in release mode as
# scripts/run.sh does (static link), checks what the binary needs at run time, launches the sample
# circles (from a copy, with a data directory of its own), plays a script on one as a new caller, is
# refused a write on another that grants none, and stops the launcher with SIGTERM (exit code 0).
# Uses the sample ports 9100 and 9101. The last step of scripts/test.sh; CIRCLES_SKIP_RELEASE=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product circles -Xswiftc -cross-module-optimization
circles=$PWD/.build/release/circles
fail() { echo "release check: $*" >&2; exit 1; }

# Static link: only the C and C++ runtimes are loaded from the system.
libraries=$(ldd "$circles" | awk '$1 ~ /^lib/ { sub(/\.so.*/, "", $1); print $1 }' | sort | tr '\n' ' ')
[[ $libraries == "libc libgcc_s libm libstdc++ " ]] || fail "unexpected shared libraries: $libraries"
[[ $("$circles" run -e '40 + 2') == 42 ]] || fail "circles run -e '40 + 2' did not print 42"

work=$(mktemp -d)
launcher=
cleanup() { [[ -n $launcher ]] && kill -9 "$launcher" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp -r samples "$work/"
rm -rf "$work/samples/data"
chmod 600 "$work/samples/circles.json"
"$circles" launch --config "$work/samples/circles.json" --data-dir "$work/data" >"$work/out" 2>"$work/err" &
launcher=$!
for _ in $(seq 1 300); do
  grep -q '^geomind ' "$work/out" 2>/dev/null && break
  kill -0 "$launcher" 2>/dev/null || fail "the launcher ended: $(cat "$work/err")"
  sleep 0.1
done
url() { awk -v name="$1" '$1 == name { print $3 }' "$work/out"; }
[[ -n $(url ourworld) && -n $(url threefold) ]] || fail "the launcher announced no circles: $(cat "$work/out" "$work/err")"
"$circles" keygen --out "$work/me.key" >/dev/null
played=$("$circles" play --url "$(url ourworld)" --key "$work/me.key" -e 'save_data("seen", 1); load_data("seen") + 41')
[[ $played == 42 ]] || fail "a play on ourworld answered '$played'"
set +e
"$circles" play --url "$(url threefold)" --key "$work/me.key" -e 'save_data("x", 1)' 2>"$work/refused"
refused=$?
set -e
[[ $refused == 1 ]] && grep -q denied "$work/refused" ||
  fail "a write threefold grants nobody: exit code $refused, $(cat "$work/refused")"
kill -TERM "$launcher"
wait "$launcher" && status=0 || status=$?
launcher=
[[ $status == 0 ]] || fail "the launcher exited with $status after SIGTERM: $(tail -5 "$work/err")"
echo "release check: ok (static binary, sample circles launched, played, stopped)"
