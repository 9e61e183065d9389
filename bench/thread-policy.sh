#!/usr/bin/env bash
# libgomp's spin count (GOMP_SPINCOUNT) against what it costs (issue 25), the
# measurement behind Foundations/OpenMpWaitPolicy.cs. Per round and spin
# count: training throughput alone (dense mlp, LeNet-5, ResNet-20; LeNet-5 and
# ResNet-20 at 95 % on the C# sparse kernels, which run between libtorch's
# ops beside its idle OpenMP threads), two LeNet-5 runs side by side both at
# that spin count, and one at that spin count with a second started 4 s later
# at 300 (what the policy does when a run starts beside another). Run with the
# machine to itself:
#   bench/thread-policy.sh [ROUNDS] > bench/thread-policy.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bin=$(mktemp -d); out=$(mktemp -d)
trap 'rm -rf "$bin" "$out"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
sl() { dotnet "$bin/SparseLab.Cli.dll" bench train --threads 2 "$@" 2>/dev/null | tail -1 | python3 -c "import json,sys; print(json.loads(sys.stdin.read())['images_per_s'])"; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for r in $(seq "$rounds"); do
  for spin in 300 3000 10000 30000 300000; do
    export GOMP_SPINCOUNT=$spin
    solo="\"mlp\": $(sl --models mlp --steps 600 --warmup 100), \"lenet5\": $(sl --models lenet5 --steps 300 --warmup 50), \"resnet20\": $(sl --models resnet20 --steps 20 --warmup 3)"
    sparse="\"lenet5_sparse95\": $(sl --models lenet5 --steps 300 --warmup 50 --sparsity 0.95 --kernels sparse), \"resnet20_sparse95\": $(sl --models resnet20 --steps 20 --warmup 3 --sparsity 0.95 --kernels sparse)"
    sl --models lenet5 --steps 600 --warmup 50 > "$out/a" & sl --models lenet5 --steps 600 --warmup 50 > "$out/b" & wait
    sl --models lenet5 --steps 2000 --warmup 50 > "$out/c" & sleep 4; GOMP_SPINCOUNT=300 sl --models lenet5 --steps 1000 --warmup 50 > "$out/d" & wait
    echo "{\"round\": $r, \"spin\": $spin, $solo, $sparse, \"lenet5_pair_same_spin\": [$(cat "$out/a"), $(cat "$out/b")], \"lenet5_pair_then_300\": [$(cat "$out/c"), $(cat "$out/d")]}"
  done
done
