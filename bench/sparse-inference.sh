#!/usr/bin/env bash
# The end-to-end sparse inference results of bench/RESULTS.md:
# 1. 95 %-sparse LeNet-5 and mlp on Fashion-MNIST (global magnitude pruning at
#    init, 2 epochs): export --format sparse, infer on the full test set, and
#    libtorch's test accuracy of the same run (summary.json) beside it;
# 2. bench infer on a widened mlp (--width 16: 784-4800-1600-10), 95 % sparse.
# Run it alone on the machine:  flock /tmp/sparselab-cpu.lock bench/sparse-inference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-runs/sparse-inference}
mkdir -p "$runs"
for model in lenet5 mlp; do
  run="$runs/$model-95"
  [ -f "$run/summary.json" ] || ./sparselab train --dataset fashion-mnist --model "$model" --epochs 2 --sparsity 0.95 \
      --criterion magnitude --budget global --prune-at init --out "$run" >/dev/null
  ./sparselab export --run "$run" --format sparse --out "$runs/$model-95.sparse.safetensors"
  echo "libtorch test_accuracy: $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['test_accuracy'])" "$run/summary.json")"
  ./sparselab infer --model-file "$runs/$model-95.sparse.safetensors" --dataset fashion-mnist
done
wide="$runs/mlp-w16-95"
[ -f "$wide/summary.json" ] || ./sparselab train --dataset fashion-mnist --model mlp --width 16 --epochs 1 --limit-train 10000 \
    --sparsity 0.95 --criterion magnitude --budget global --prune-at init --out "$wide" >/dev/null
./sparselab export --run "$wide" --format sparse --out "$runs/mlp-w16-95.sparse.safetensors"
./sparselab bench infer --model-file "$runs/mlp-w16-95.sparse.safetensors" --batch-sizes 1,16,64,256
./sparselab infer --model-file "$runs/mlp-w16-95.sparse.safetensors" --dataset fashion-mnist
