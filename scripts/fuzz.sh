#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer: builds one target (its module sources plus a harness, compiled
# as one module with -sanitize=fuzzer,address) and runs it for SECONDS.
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]     e.g. scripts/fuzz.sh rhai-parse 600
#   scripts/fuzz.sh list
# Corpus: .build/fuzz/corpus/TARGET (seeded from the seed directory); crashes: .build/fuzz/findings/TARGET.
# Replay a finding: .build/fuzz/TARGET .build/fuzz/findings/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

# One line per target: name | source directories (space-separated) | harness | seed directories | extra swiftc flags
targets='
rhai-parse | Sources/Rhai                                 | Tests/Fuzz/RhaiParseFuzz.swift | Tests/RhaiScripts Tests/Fuzz/Seeds/rhai |
json       | Sources/Rhai Sources/Apps/CirclesCore/JSON   | Tests/Fuzz/JSONFuzz.swift      | Tests/Fuzz/Seeds/json                   |
'

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options] | list}
if [[ $target == list ]]; then
  printf '%s\n' "$targets" | awk -F'|' 'NF>1 { gsub(/ /, "", $1); print $1 }'
  exit 0
fi
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
shift 2

line=$(printf '%s\n' "$targets" | awk -F'|' -v t="$target" 'NF>1 { n=$1; gsub(/ /, "", n); if (n == t) print }')
[[ -n $line ]] || { echo "unknown target '$target' (scripts/fuzz.sh list)" >&2; exit 2; }
IFS='|' read -r _ dirs harness seeds flags <<<"$line"
dirs=$(trim "$dirs"); harness=$(trim "$harness"); seeds=$(trim "$seeds"); flags=$(trim "$flags")

out=.build/fuzz
mkdir -p "$out/corpus/$target" "$out/findings/$target"
# Compile a snapshot of the sources, so editing them during the build does not break it.
snapshot=$(mktemp -d)
trap 'rm -rf "$snapshot"' EXIT
# shellcheck disable=SC2086
cp -r --parents $dirs "$harness" "$snapshot/"
# shellcheck disable=SC2086
sources=$(cd "$snapshot" && find $dirs -name '*.swift' | sort | sed "s|^|$snapshot/|")
module=Fuzz_${target//-/_}
# shellcheck disable=SC2086
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name "$module" $flags $sources "$snapshot/$harness" \
  -o "$out/$target"
rm -rf "$snapshot"
trap - EXIT

corpora=("$out/corpus/$target")
for s in $seeds; do [[ -d $s ]] && corpora+=("$s"); done
exec "$out/$target" -max_total_time="$seconds" -artifact_prefix="$out/findings/$target/" -print_final_stats=1 \
  -timeout=30 -rss_limit_mb=2048 "$@" "${corpora[@]}"
