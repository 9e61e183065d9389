#!/usr/bin/env bash
# Two SparseLab runs on the same cores (issue 25): the training throughput of
# a run alone, and of each of two identical runs started together and started
# a few seconds apart, under SparseLab's thread policy
# (Foundations/OpenMpWaitPolicy.cs: spin when the cores are free at start,
# hardly at all when they are not) and under libgomp's default spin for every
# process (GOMP_SPINCOUNT=300000, which SparseLab leaves alone when set), as
# two PyTorch processes would run. One JSON line per (policy, model, round).
# Run with the machine to itself:
#   bench/side-by-side.sh [ROUNDS] > bench/side-by-side.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
bin=$(mktemp -d); out=$(mktemp -d)
trap 'rm -rf "$bin" "$out"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
sparselab() { dotnet "$bin/SparseLab.Cli.dll" "$@" 2>/dev/null; }
rate() { python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])['images_per_s'])" "$1"; }
policy() { python3 -c "import json,sys; print(json.dumps(json.loads(open(sys.argv[1]).read().splitlines()[-1])['openmp_wait']))" "$1"; }
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
for r in $(seq "$rounds"); do
  for setting in sparselab libgomp-default; do
    if [ "$setting" = libgomp-default ]; then export GOMP_SPINCOUNT=300000; else unset GOMP_SPINCOUNT; fi
    # Long enough that the staggered pair overlaps for most of both runs.
    for spec in "lenet5 1500 50" "resnet20 60 3"; do
      set -- $spec
      args=(bench train --models "$1" --steps "$2" --warmup "$3" --threads 2)
      sparselab "${args[@]}" > "$out/solo"
      sparselab "${args[@]}" > "$out/a" & sparselab "${args[@]}" > "$out/b" & wait
      sparselab "${args[@]}" > "$out/c" & sleep 5; sparselab "${args[@]}" > "$out/d" & wait
      echo "{\"round\": $r, \"policy\": \"$setting\", \"model\": \"$1\", \"solo\": $(rate "$out/solo"), \"together\": [$(rate "$out/a"), $(rate "$out/b")], \"staggered\": [$(rate "$out/c"), $(rate "$out/d")], \"spins\": [$(policy "$out/solo"), $(policy "$out/a"), $(policy "$out/b"), $(policy "$out/c"), $(policy "$out/d")]}"
    done
  done
done
