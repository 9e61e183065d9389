#!/usr/bin/env bash
# Sparse training throughput (issue 14): full SGD steps (momentum 0.9, weight
# decay 5e-4, batch 128) with a global-magnitude mask, SparseLab on dense,
# sparse and auto kernels and the PyTorch peer (dense kernels with the mask
# applied, as PyTorch sparse-training libraries do), side by side in one run,
# ROUNDS rounds alternating (medians are reported).
#   flock /tmp/sparselab-cpu.lock bench/sparse-training.sh [ROUNDS] [THREADS] > bench/sparse-training.jsonl
#   python3 bench/summarize_sparse_training.py bench/sparse-training.jsonl
# MODELS="mlp-wide 200 20" (name, timed steps, warm-up steps; ;-separated) reruns a subset.
# Needs Debian's python3-torch and libopenblas0-pthread for the peer; run with the machine to itself.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}; threads=${2:-2}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
sparselab() { dotnet "$bin/SparseLab.Cli.dll" "$@"; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for r in $(seq "$rounds"); do
  IFS=';' read -ra specs <<< "${MODELS:-mlp 800 100;mlp-wide 200 20;lenet5 300 50;resnet20 30 5}"
  for spec in "${specs[@]}"; do
    set -- $spec
    for s in 0 0.8 0.9 0.95 0.98 0.99; do
      for k in dense sparse auto; do
        if [ "$s" = 0 ] && [ "$k" != dense ]; then continue; fi
        kernels=(--kernels "$k"); if [ "$s" = 0 ]; then kernels=(); fi   # a dense model has no masked layers: --kernels is refused there
        sparselab bench train --models "$1" --steps "$2" --warmup "$3" --threads "$threads" --sparsity "$s" "${kernels[@]}"
      done
      OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_throughput.py --models "$1" --steps "$2" --warmup "$3" --threads "$threads" --sparsity "$s"
    done
  done
done
