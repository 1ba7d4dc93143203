#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (swiftc -sanitize=fuzzer): builds one target's harness with
# the sources it exercises and runs it for SECONDS at low priority.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh list
#
# The corpus grows in .build/fuzz/TARGET/corpus (seeded from Tests/Fuzz/Seeds/TARGET); a crash or a
# failed invariant leaves its input in .build/fuzz/TARGET/ (crash-*, rerun it with
# `.build/fuzz/TARGET/fuzz-TARGET FILE`). The log is .build/fuzz/TARGET/fuzz.log; the last lines
# say how many inputs ran and the coverage reached.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

declare -A SOURCES=()
declare -A MAX_LEN=()

# Transport: the HTTP/1.1 request parser and the WebSocket frame decoder.
transport_targets() {
    SOURCES[http]="Tests/Fuzz/HTTPParserFuzz.swift Tests/Fuzz/FuzzPieces.swift Sources/Transport/HTTP/HTTPParser.swift Sources/Transport/HTTP/HTTPRequest.swift"
    MAX_LEN[http]=8192
    SOURCES[websocket]="Tests/Fuzz/WebSocketFrameDecoderFuzz.swift Tests/Fuzz/FuzzPieces.swift Sources/Transport/WebSocket/WebSocketFrameDecoder.swift
        Sources/Transport/WebSocket/WebSocketFrameHeader.swift Sources/Transport/WebSocket/WebSocketFrameSink.swift
        Sources/Transport/WebSocket/WebSocketViolation.swift Sources/Transport/WebSocket/WebSocketOpcode.swift
        Sources/Transport/WebSocket/WebSocketCloseCode.swift Sources/Transport/WebSocket/UTF8Validator.swift"
    MAX_LEN[websocket]=4096
}
transport_targets

# The script engine: lexer, parser and compiler (running what compiles), and both JSON parsers with the
# writer's round trip. Each compiles every source file of the modules it exercises.
declare -A SEEDS=()
engine_targets() {
    SOURCES[rhai-parse]="Tests/Fuzz/RhaiParseFuzz.swift $(find Sources/Rhai -name '*.swift' | sort | tr '\n' ' ')"
    MAX_LEN[rhai-parse]=8192
    SEEDS[rhai-parse]="Tests/RhaiScripts Tests/Fuzz/Seeds/rhai"
    SOURCES[json]="Tests/Fuzz/JSONFuzz.swift $(find Sources/Rhai Sources/Apps/CirclesCore/JSON -name '*.swift' | sort | tr '\n' ' ')"
    MAX_LEN[json]=8192
    SEEDS[json]="Tests/Fuzz/Seeds/json"
}
engine_targets

usage() {
    echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]   (targets: ${!SOURCES[*]})" >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
if [[ $1 == list ]]; then
    printf '%s\n' "${!SOURCES[@]}" | sort
    exit 0
fi
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
[[ -n ${SOURCES[$target]:-} ]] || usage
[[ $seconds =~ ^[0-9]+$ ]] || usage

work=.build/fuzz/$target
mkdir -p "$work/corpus"
binary=$work/fuzz-$target
# shellcheck disable=SC2086
module=Fuzz_${target//-/_}
if ! swiftc -O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -module-name "$module" \
    ${SOURCES[$target]} -o "$binary" >"$work/build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$work/build.log" >&2
    exit 1
fi
for seeds in ${SEEDS[$target]:-Tests/Fuzz/Seeds/$target}; do
    if [[ -d $seeds ]]; then find "$seeds" -maxdepth 1 -type f -exec cp -n {} "$work/corpus/" \; 2>/dev/null || true; fi
done

echo "fuzzing $target for $seconds s (log: $work/fuzz.log)"
status=0
nice -n 19 "$binary" "$work/corpus" -max_total_time="$seconds" -max_len="${MAX_LEN[$target]:-4096}" \
    -artifact_prefix="$work/" -print_final_stats=1 "$@" >"$work/fuzz.log" 2>&1 || status=$?
grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|cov:' "$work/fuzz.log" | tail -4
if [[ $status -ne 0 ]]; then
    echo "fuzz $target: FAILED (exit $status); inputs: $(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null | tr '\n' ' ')" >&2
    exit "$status"
fi
echo "fuzz $target: no findings"
