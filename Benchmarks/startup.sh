#!/usr/bin/env bash
# Start-up of `circles run` on an empty script beside Swift hello-worlds (dynamic and static Swift
# runtime, with and without Foundation), built like circles. A small C driver forks and execs the
# commands interleaved for ROUNDS rounds (stdout to /dev/null) and prints, per command, the wall time
# (p10, median) and the child's user+sys CPU time (median, from wait4).
#   Benchmarks/startup.sh [path/to/circles ...]   (default: .build/release/circles)
# Results go to BENCHMARKS.md ("Start-up of `circles run`").
set -euo pipefail
ROUNDS=${ROUNDS:-400}
BINARIES=("$@")
[ ${#BINARIES[@]} -gt 0 ] || BINARIES=(.build/release/circles)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/startbench.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* startbench ROUNDS CMD [ARGS] [';;' CMD [ARGS]]... */
int main(int argc, char **argv) {
    int rounds = atoi(argv[1]), count = 0;
    char **commands[64];
    for (int i = 2; i < argc && count < 64;) {
        commands[count++] = &argv[i];
        while (i < argc && strcmp(argv[i], ";;") != 0) i++;
        if (i < argc) argv[i++] = NULL;
    }
    double *wall[64], *cpu[64];
    for (int c = 0; c < count; c++) {
        wall[c] = calloc(rounds, sizeof(double));
        cpu[c] = calloc(rounds, sizeof(double));
    }
    int null = open("/dev/null", O_WRONLY);
    for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < count; c++) {
            struct timespec start, end;
            struct rusage usage;
            int status;
            clock_gettime(CLOCK_MONOTONIC, &start);
            pid_t child = fork();
            if (child == 0) {
                dup2(null, 1);
                execv(commands[c][0], commands[c]);
                _exit(127);
            }
            wait4(child, &status, 0, &usage);
            clock_gettime(CLOCK_MONOTONIC, &end);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fprintf(stderr, "%s: status %d\n", commands[c][0], status);
            wall[c][r] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
            cpu[c][r] = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
                + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
        }
    }
    for (int c = 0; c < count; c++) {
        qsort(wall[c], rounds, sizeof(double), ascending);
        qsort(cpu[c], rounds, sizeof(double), ascending);
        printf("wall p10 %6.2f ms  median %6.2f ms  cpu median %6.2f ms ", wall[c][rounds / 10], wall[c][rounds / 2], cpu[c][rounds / 2]);
        for (char **a = commands[c]; *a; a++) printf(" %s", *a);
        printf("\n");
    }
    return 0;
}
EOF
"${CC:-clang}" -O2 -o "$work/startbench" "$work/startbench.c"

hello() {  # NAME SOURCE
  mkdir -p "$work/$1/Sources/$1"
  printf '// swift-tools-version:6.0\nimport PackageDescription\nlet package = Package(name: "%s", targets: [.executableTarget(name: "%s")])\n' "$1" "$1" \
    > "$work/$1/Package.swift"
  printf '%s\n' "$2" > "$work/$1/Sources/$1/main.swift"
  swift build --package-path "$work/$1" -c release -Xswiftc -cross-module-optimization >/dev/null
  cp "$work/$1/.build/release/$1" "$work/$1-dynamic"
  swift build --package-path "$work/$1" -c release -Xswiftc -cross-module-optimization --static-swift-stdlib >/dev/null
  cp "$work/$1/.build/release/$1" "$work/$1-static"
}
hello hello 'print("hello")'
hello hellofoundation $'import Foundation\nFileHandle.standardOutput.write(Data("hello\\n".utf8))'
: > "$work/empty.rhai"

arguments=()
for name in hello-dynamic hello-static hellofoundation-dynamic hellofoundation-static; do
  arguments+=("$work/$name" ';;')
done
for binary in "${BINARIES[@]}"; do
  arguments+=("$(realpath "$binary")" run "$work/empty.rhai" ';;')
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/startbench" "$ROUNDS" "${arguments[@]:0:${#arguments[@]}-1}"
