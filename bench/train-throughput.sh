#!/usr/bin/env bash
# Training throughput, SparseLab (dense and with a 90 %-sparse mask enforced
# every step) and its PyTorch peer side by side in one run,
# alternating for ROUNDS rounds (this VM's speed drifts: medians are reported).
#   bench/train-throughput.sh [ROUNDS] [THREADS] > bench/train-throughput.jsonl
#   python3 bench/summarize_throughput.py bench/train-throughput.jsonl
# Small models get many steps (the JIT and libtorch warm up); ResNets fewer.
# Needs Debian's python3-torch and libopenblas0-pthread for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; threads=${2:-2}
# A frozen build of its own, so edits elsewhere cannot trigger rebuilds mid-run.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
sparselab() { dotnet "$bin/SparseLab.Cli.dll" "$@"; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for r in $(seq "$rounds"); do
  for spec in "mlp,lenet5 1000 50" "resnet20,resnet32 40 5"; do
    set -- $spec
    sparselab bench train --models "$1" --batch-size 128 --steps "$2" --warmup "$3" --threads "$threads"
    sparselab bench train --models "$1" --batch-size 128 --steps "$2" --warmup "$3" --threads "$threads" --sparsity 0.9
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_throughput.py --models "$1" --batch-size 128 --steps "$2" --warmup "$3" --threads "$threads"
  done
done
