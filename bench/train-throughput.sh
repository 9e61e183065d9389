#!/usr/bin/env bash
# Training throughput, SparseLab and its PyTorch peer side by side in one run.
#   bench/train-throughput.sh [STEPS] [THREADS]
# Needs Debian's python3-torch and libopenblas0-pthread for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-50}; threads=${2:-2}; models=mlp,lenet5,resnet20,resnet32
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
./sparselab bench train --models $models --batch-size 128 --steps "$steps" --warmup 5 --threads "$threads"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_throughput.py --models $models --batch-size 128 --steps "$steps" --warmup 5 --threads "$threads"
