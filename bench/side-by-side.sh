#!/usr/bin/env bash
# Two SparseLab runs at once on a 2-core machine (issue 14): the epoch time of
# a LeNet-5 run on Fashion-MNIST alone and beside a second identical run, with
# SparseLab's libgomp spin count (Foundations/OpenMpWaitPolicy.cs) and with
# libgomp's own default (GOMP_SPINCOUNT=300000, which SparseLab leaves alone
# when set). Run with the machine to itself:
#   flock /tmp/sparselab-cpu.lock bench/side-by-side.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./sparselab --version >/dev/null   # build once, outside the timings
epoch() { python3 -c "import json,sys; print(next(json.loads(l)['seconds'] for l in open(sys.argv[1]) if '\"epoch\"' in l))" "$1/metrics.jsonl"; }
train() { ./sparselab train --dataset fashion-mnist --model lenet5 --epochs 1 --threads 2 --seed "$2" --out "$1" >/dev/null 2>&1; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for setting in sparselab libgomp-default; do
  if [ "$setting" = libgomp-default ]; then export GOMP_SPINCOUNT=300000; else unset GOMP_SPINCOUNT; fi
  train "$tmp/$setting-solo" 1
  train "$tmp/$setting-a" 2 & train "$tmp/$setting-b" 3 & wait
  echo "{\"spin\": \"$setting\", \"solo_epoch_s\": $(epoch "$tmp/$setting-solo"), \"concurrent_epoch_s\": [$(epoch "$tmp/$setting-a"), $(epoch "$tmp/$setting-b")]}"
done
