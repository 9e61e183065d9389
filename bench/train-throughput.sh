#!/usr/bin/env bash
# Dense training throughput, SparseLab beside its PyTorch peer (Debian's
# python3-torch) in one run, on every model of issue 25 (mlp, lenet5,
# resnet20, resnet32, vgg11, gpt), plus SparseLab with a 90 %-sparse mask
# enforced every step on dense kernels (the masking overhead). Rounds
# alternate which framework goes first (this VM's speed drifts); the summary
# reports medians.
#   bench/train-throughput.sh [ROUNDS] [THREADS] > bench/train-throughput.jsonl
#   python3 bench/summarize_throughput.py bench/train-throughput.jsonl
# Small models get many steps (the JIT and libtorch warm up); ResNets, VGG and
# the GPT fewer. Needs python3-torch and libopenblas0-pthread for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; threads=${2:-2}
# A frozen build of its own, so edits elsewhere cannot trigger rebuilds mid-run.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
sparselab() { dotnet "$bin/SparseLab.Cli.dll" "$@"; }
peer() { OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$@"; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for r in $(seq "$rounds"); do
  for spec in "mlp,lenet5 1000 100" "resnet20,resnet32 30 5" "vgg11 8 2" "gpt 30 5"; do
    set -- $spec
    ours=(sparselab bench train --models "$1" --batch-size 128 --steps "$2" --warmup "$3" --threads "$threads")
    if [ "$1" = gpt ]; then
      ours=(sparselab bench train --models gpt --steps "$2" --warmup "$3" --threads "$threads")
      theirs=(peer bench/peers/gpt_throughput.py --steps "$2" --warmup "$3" --threads "$threads")
    else
      theirs=(peer bench/peers/train_throughput.py --models "$1" --batch-size 128 --steps "$2" --warmup "$3" --threads "$threads")
    fi
    if [ $((r % 2)) = 1 ]; then "${ours[@]}"; "${theirs[@]}"; else "${theirs[@]}"; "${ours[@]}"; fi
    case "$1" in mlp*|resnet*) "${ours[@]}" --sparsity 0.9 ;; esac
  done
done
