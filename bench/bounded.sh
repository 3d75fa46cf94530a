#!/usr/bin/env bash
# Bounded-work benchmark: build time, peak memory and output size of the generated corpus at
# 10,000 pages (100 sections of 100) and 50,000 pages (1,000 sections of 50), and the time of
# each stress site that would make a careless generator quadratic (examples/gen_stress.rs).
# Prints figures; never fails on timing. Usage: bash bench/bounded.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kagu --example gen_corpus --example gen_stress
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
kagu=$target/release/kagu
work=${BENCH_DIR:-/dev/shm}/kagu-bounded
rm -rf "$work"; mkdir -p "$work"
run() { # label, root, extra args...: wall seconds, peak MiB, stderr bytes
  local label=$1 root=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$kagu" build --root "$root" --output-dir "$work/out" "$@" \
    >/dev/null 2>"$work/stderr" || true
  # The last line holds the figures (a failed build adds a line before them).
  read -r wall kb < <(tail -n 1 "$work/time")
  local size=0
  [ -d "$work/out" ] && size=$(du -sm "$work/out" | cut -f1)
  printf '%-44s %7.2f s  peak %6.1f MiB  output %5s MB  messages %s bytes\n' \
    "$label" "$wall" "$(echo "$kb/1024" | bc -l)" "$size" "$(wc -c < "$work/stderr")"
  rm -rf "$work/out"
}
for shape in "10000 100" "50000 50"; do
  set -- $shape
  "$target/release/examples/gen_corpus" --pages "$1" --per-section "$2" --out "$work/corpus" >/dev/null
  run "corpus: $1 pages, $2 a section" "$work/corpus"
  rm -rf "$work/corpus"
done
for case in one-folder broken-line broken-many citations template-grows one-author one-author-pages; do
  "$target/release/examples/gen_stress" --case "$case" --out "$work/$case" >/dev/null
  run "stress: $case" "$work/$case"
  rm -rf "$work/$case"
done
rm -rf "$work"
