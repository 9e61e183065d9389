#!/usr/bin/env bash
# SparseProp (IST-DASLab/sparseprop; Nikdan et al. 2023, "SparseProp: Efficient
# Sparse Backpropagation for Faster Training of Neural Networks"), the CPU
# sparse-backprop peer of SparseLab's training kernels (issue 25): built from
# its public source against Debian's python3-torch, then one layer's training
# step (forward, input and weight gradients, batch 128, 2 threads) at 90, 95
# and 98 % on SparseProp and on SparseLab (`sparselab bench conv`), each beside
# its own framework's dense layer, on the same shapes, in one run.
#   bench/sparseprop.sh > bench/sparseprop.jsonl
# SPARSEPROP_SRC=<a checkout> skips the download. Needs g++, python3-dev,
# pybind11-dev, python3-torch, python3-scipy. SparseProp's setup.py pip-installs
# pybind11; the one translation unit is compiled here with its flags instead.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=df97d8e15b372b59103dceb0df71e1013bbf12a7   # 2023-06-26, the version measured
src=${SPARSEPROP_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/sparselab/sparseprop}
if [ ! -d "$src/sparseprop" ]; then
  git clone -q https://github.com/IST-DASLab/sparseprop.git "$src" >&2
  git -C "$src" checkout -q "$commit" >&2
fi
so="$src/backend.cpython-311-x86_64-linux-gnu.so"
if [ ! -f "$so" ]; then
  # -march=native: the module is tuned to this CPU (the kernels use AVX2 + FMA). -ffast-math
  # makes GCC link crtfastmath.o, which turns on flush-to-zero in the whole Python process.
  (cd "$src" && g++ -O3 -Wall -shared -std=c++11 -fPIC -I/usr/include/python3.11 -march=native -fopenmp -ffast-math \
      sparseprop/backend.cpp -o "$so" -lgomp) >&2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
dotnet build src/SparseLab.Cli/SparseLab.Cli.csproj -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >&2
echo "{\"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"sparseprop\": \"$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo "$commit")\"}"
SPARSEPROP_SRC="$src" /usr/bin/python3 bench/peers/sparseprop_layers.py --reps 20 --warmup 3
dotnet "$bin/SparseLab.Cli.dll" bench conv --shapes 16:16:32:1,32:32:16:1,64:64:8:1,16:32:32:2,32:64:16:2 --linears 784:300,784:2400,2400:800 --sparsities 0.9,0.95,0.98 --threads 2
