#!/usr/bin/env bash
# The load proof of the test suite: `.ci/run` from fresh clones of one
# commit, several times in a row, while `stress-ng --cpu 2` keeps both cores
# busy. Prints each run's exit code and wall time; samples /proc/loadavg
# every 30 s. Stops at the first failing run.
#
#   scripts/ci-under-load.sh [runs=3] [commit=HEAD] [out=/tmp/paved-ci-under-load]
#
# stress-ng comes from Debian (`apt-get install -y stress-ng`).
set -uo pipefail
runs=${1:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repo" rev-parse "${2:-HEAD}")
out=${3:-/tmp/paved-ci-under-load}
command -v stress-ng >/dev/null || { echo "stress-ng is not installed (apt-get install -y stress-ng)" >&2; exit 2; }
mkdir -p "$out"
: > "$out/results"
stress-ng --cpu 2 --timeout 6h > "$out/stress.log" 2>&1 &
stress_pid=$!
( while true; do echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done ) > "$out/loadavg" &
sampler_pid=$!
trap 'kill $stress_pid $sampler_pid 2>/dev/null' EXIT
status=0
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  git clone -q "$repo" "$dir/r" && git -C "$dir/r" checkout -q "$commit"
  started=$(date +%s)
  (cd "$dir/r" && bash .ci/run) > "$out/run$i.log" 2>&1
  rc=$?
  echo "run=$i rc=$rc seconds=$(( $(date +%s) - started )) commit=$commit" | tee -a "$out/results"
  rm -rf "$dir"
  if [ $rc -ne 0 ]; then status=$rc; break; fi
done
exit $status
