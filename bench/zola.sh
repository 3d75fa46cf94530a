#!/usr/bin/env bash
# kagu against Zola on the same generated corpus, run in turn (kagu, Zola, kagu, Zola, ...) so
# that the ratio of each pair holds when the machine's speed drifts; output on tmpfs.
#   ZOLA=/path/to/zola bash bench/zola.sh [pages...]     (default: 10000 50000, 50 a section)
# Zola is built from its release tag, outside this project:
#   git clone --branch v0.22.1 --depth 1 https://github.com/getzola/zola && cd zola \
#     && cargo build --release --locked          # then ZOLA=$PWD/target/release/zola
# Prints, for each size: wall and CPU seconds of a rebuild and of a first build (medians of RUNS
# pairs, with the spread of the ratios), peak memory, bytes per page, and kagu's time against
# `cp -r` of the content; then the cost of citations (the same corpus with none). Never fails on
# timing.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ZOLA:?set ZOLA to a zola binary built from its release tag}"
cargo build --release --quiet --bin kagu --example gen_corpus
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
kagu=$target/release/kagu
gen=$target/release/examples/gen_corpus
runs=${RUNS:-5}
work=${BENCH_DIR:-/dev/shm}/kagu-vs-zola
time_of() { # command...: "wall cpu peak_kib" of one run
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { sort -g | awk '{a[NR]=$1} END {printf "%.2f-%.2f", a[1], a[NR]}'; }
pairs() { # label, command A, command B (strings): medians of A and B, and of A/B pair by pair
  local label=$1 a=$2 b=$3
  : > "$work/a"; : > "$work/b"; : > "$work/r"
  eval "$a" >/dev/null 2>&1 || true; eval "$b" >/dev/null 2>&1 || true # warm-up
  for _ in $(seq "$runs"); do
    read -r wa ca ma < <(eval "time_of $a")
    read -r wb cb mb < <(eval "time_of $b")
    echo "$wa $ca $ma" >> "$work/a"; echo "$wb $cb $mb" >> "$work/b"
    awk -v wa="$wa" -v wb="$wb" -v ca="$ca" -v cb="$cb" 'BEGIN {printf "%.3f %.3f\n", wa / wb, ca / cb}' >> "$work/r"
  done
  printf '%s\n' "$label"
  for f in a b; do
    printf '  %s: wall %s s, cpu %s s, peak %s MiB\n' "$([ $f = a ] && echo "A" || echo "B")" \
      "$(cut -d' ' -f1 "$work/$f" | median)" "$(cut -d' ' -f2 "$work/$f" | median)" \
      "$(cut -d' ' -f3 "$work/$f" | sort -g | tail -1 | awk '{printf "%.0f", $1 / 1024}')"
  done
  printf '  A/B: wall %s (%s), cpu %s (%s)\n' "$(cut -d' ' -f1 "$work/r" | median)" \
    "$(cut -d' ' -f1 "$work/r" | spread)" "$(cut -d' ' -f2 "$work/r" | median)" "$(cut -d' ' -f2 "$work/r" | spread)"
}
per_page() { # output folder: mean bytes of the pages' index.html (sections' and home's left out)
  find "$1" -path '*/s[0-9]*/p[0-9]*/index.html' -printf '%s\n' | awk '{s+=$1; n++} END {printf "%.0f", s / n}'
}
rm -rf "$work"; mkdir -p "$work"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$ZOLA" --version)"
for pages in "${sizes[@]}"; do
  c=$work/c$pages
  "$gen" --pages "$pages" --per-section 50 --search off --zola "$c-zola" --out "$c" >/dev/null
  echo "== $pages pages, 50 a section ($(du -sh "$c/content" | cut -f1) of content); A = kagu, B = Zola"
  pairs "build" "$kagu build --root $c --output-dir $work/kagu-out" \
    "$ZOLA --root $c-zola build --force --output-dir $work/zola-out"
  # A rebuild above (into the last build's folder: kagu links what did not change); here each
  # run writes into a folder of its own, as a first build or a CI run does.
  pairs "first build, empty output folder" \
    "$kagu build --root $c --output-dir $work/kagu-new-\$RANDOM" \
    "$ZOLA --root $c-zola build --force --output-dir $work/zola-new-\$RANDOM"
  rm -rf "$work"/kagu-new-* "$work"/zola-new-*
  kb=$(per_page "$work/kagu-out"); zb=$(per_page "$work/zola-out")
  echo "  bytes a page: kagu $kb, Zola $zb ($(awk -v k="$kb" -v z="$zb" 'BEGIN {printf "%.2f", k / z}')x)"
  pairs "kagu against cp -r (A = kagu, B = cp -r of content/)" \
    "$kagu build --root $c --output-dir $work/kagu-out" "cp -r $c/content $work/cp-\$RANDOM"
  rm -rf "$work"/cp-*
  "$gen" --pages "$pages" --per-section 50 --search off --citations off --out "$c-plain" >/dev/null
  pairs "citations (A = 9 a page, B = none)" "$kagu build --root $c --output-dir $work/kagu-out" \
    "$kagu build --root $c-plain --output-dir $work/kagu-out"
  rm -rf "$c" "$c-zola" "$c-plain" "$work/kagu-out" "$work/zola-out"
done
rm -rf "$work"
