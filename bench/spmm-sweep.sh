#!/usr/bin/env bash
# The sparse-kernel sweep recorded in bench/RESULTS.md: `bench spmm` for
# 1024² and 4096² weights, batch 1, 16, 64 and 256, sparsity 0.5–0.99, plus the
# 2:4 layout at 4096²; then the Markdown table (stdout) and
# bench/spmm-speedup.png. Run it alone on the machine:
#   flock /tmp/sparselab-cpu.lock bench/spmm-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/spmm-sweep.jsonl
tmp=$(mktemp)
for size in 1024 4096; do
  for batch in 1 16 64 256; do
    ./sparselab bench spmm --rows "$size" --cols "$size" --batch "$batch" --sparsities 0.5,0.6,0.7,0.8,0.9,0.95,0.98,0.99 >>"$tmp"
  done
done
for batch in 1 64 256; do
  ./sparselab bench spmm --rows 4096 --cols 4096 --batch "$batch" --sparsities 0.5 --layout nm >>"$tmp"
done
mv "$tmp" "$out"
./sparselab bench spmm-report --results "$out" --plot bench/spmm-speedup.png
