#!/usr/bin/env bash
# Build benchmark: wall time and peak memory of `kagu build` on generated corpora of 1,000 and
# 10,000 pages, output on tmpfs (/dev/shm) and on disk, beside `cp -r` of the content folder;
# on tmpfs also with the readers' search off, and the search index's size.
# Prints figures; never fails on timing. Usage: bash bench/build.sh [pages...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kagu --example gen_corpus
kagu=$PWD/target/release/kagu
gen=$PWD/target/release/examples/gen_corpus
runs=${RUNS:-5}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...; prints median wall seconds and max RSS MiB over $runs runs
  local label=$1; shift
  local walls=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o /tmp/kagu-bench-time "$@" >/dev/null 2>&1
    read -r wall kb < /tmp/kagu-bench-time
    walls+=("$wall")
    if (( kb > rss )); then rss=$kb; fi
  done
  printf '%-34s median %6.3f s   peak %6.1f MiB\n' "$label" "$(printf '%s\n' "${walls[@]}" | median)" "$(echo "$rss/1024" | bc -l)"
}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
for pages in "${sizes[@]}"; do
  corpus=/dev/shm/kagu-corpus-$pages
  rm -rf "$corpus" "$corpus-off"; "$gen" --pages "$pages" --out "$corpus" >/dev/null
  "$gen" --pages "$pages" --search off --out "$corpus-off" >/dev/null
  echo "== $pages pages ($(du -sh "$corpus/content" | cut -f1) of content)"
  measure "cp -r content (tmpfs)" bash -c "rm -rf /dev/shm/kagu-cp && cp -r $corpus/content /dev/shm/kagu-cp"
  measure "kagu build, output on tmpfs" "$kagu" build --root "$corpus" --output-dir /dev/shm/kagu-out-$pages
  echo "search index: $(du -sh /dev/shm/kagu-out-$pages/pagefind | cut -f1)"
  measure "kagu build, no search, tmpfs" "$kagu" build --root "$corpus-off" --output-dir /dev/shm/kagu-out-$pages
  disk=$(mktemp -d -p "${TMPDIR:-/var/tmp}")
  measure "cp -r content (disk)" bash -c "rm -rf $disk/cp && cp -r $corpus/content $disk/cp"
  measure "kagu build, output on disk" "$kagu" build --root "$corpus" --output-dir "$disk/out"
  rm -rf "$disk" /dev/shm/kagu-cp /dev/shm/kagu-out-$pages "$corpus" "$corpus-off"
done
