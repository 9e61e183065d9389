#!/usr/bin/env bash
# Probes the bad inputs of issue 24's review, as a hostile new user would:
# each must end with one `error:` line on stderr, a non-zero exit, and no
# output path left behind. Prints one line per probe and a count of failures.
#   scripts/probe-bad-inputs.sh            (needs a built CLI: ./sparselab --help builds it)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=(dotnet "$root/artifacts/cli/SparseLab.Cli.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 total=0

# probe NAME OUTPUT_THAT_MUST_NOT_APPEAR -- ARGS...
probe() {
  local name=$1 must_not=$2; shift 3
  total=$((total + 1))
  "${cli[@]}" "$@" >"$work/out" 2>"$work/err"
  local rc=$? lines
  lines=$(grep -c . "$work/err")
  if [ "$rc" -ne 0 ] && [ "$lines" -eq 1 ] && grep -q '^error: ' "$work/err" && { [ -z "$must_not" ] || [ ! -e "$must_not" ]; }; then
    echo "ok    $name: $(cut -c1-150 "$work/err")"
  else
    failed=$((failed + 1))
    echo "FAIL  $name (exit $rc, $lines stderr lines${must_not:+, $must_not $( [ -e "$must_not" ] && echo exists || echo absent)}): $(head -c 300 "$work/err" | tr '\n' ' ')"
  fi
}

tiny=(--dataset synthetic --model mlp --threads 1 --limit-train 256 --limit-test 64 --epochs 1)
run="$work/run"
"${cli[@]}" train "${tiny[@]}" --sparsity 0.9 --out "$run" >/dev/null 2>&1 || { echo "error: the tiny run did not train" >&2; exit 1; }
digest() { find "$run" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum; }
before=$(digest)

# Silent wrong results and overwrites
probe "nm study at 0.9" "$work/s1" -- study gap "${tiny[@]}" --criterion nm:2:4 --sparsities 0.9 --out "$work/s1"
probe "--steps with --epochs" "$work/r1" -- train "${tiny[@]/--epochs/--seed}" --steps 4 --epochs 3 --out "$work/r1"
probe "prune onto the run's mask" "" -- prune --run "$run" --sparsity 0.5 --out "$run/mask.safetensors"
probe "export onto the checkpoint" "" -- export --run "$run" --out "$run/checkpoints/final.ckpt"
probe "export onto config.json" "" -- export --run "$run" --out "$run/config.json"
probe "fisher onto summary.json" "" -- fisher --run "$run" --samples 16 --out "$run/summary.json"
probe "sparse export onto the mask" "" -- export --run "$run" --format sparse --out "$run/mask.safetensors"
printf '{"layout":"csr"}\n' >"$work/partial.jsonl"
probe "spmm-report without fields" "" -- bench spmm-report --results "$work/partial.jsonl"

# Options accepted and then ignored
probe "--momentum with adam" "$work/o" -- train "${tiny[@]}" --optimizer adam --momentum 0.5 --out "$work/o"
probe "--nesterov with adam" "$work/o" -- train "${tiny[@]}" --optimizer adam --nesterov --out "$work/o"
probe "--beta1 with sgd" "$work/o" -- train "${tiny[@]}" --beta1 0.8 --out "$work/o"
probe "--beta2 with sgd" "$work/o" -- train "${tiny[@]}" --beta2 0.9 --out "$work/o"
probe "--gamma with cosine" "$work/o" -- train "${tiny[@]}" --lr-schedule cosine --gamma 0.5 --out "$work/o"
probe "--initial-sparsity without gmp" "$work/o" -- train "${tiny[@]}" --sparsity 0.9 --initial-sparsity 0.1 --out "$work/o"
probe "--drop-fraction without set/rigl" "$work/o" -- train "${tiny[@]}" --sparsity 0.9 --drop-fraction 0.2 --out "$work/o"
probe "--update-every without a schedule" "$work/o" -- train "${tiny[@]}" --sparsity 0.9 --update-every 10 --out "$work/o"
probe "--update-end without a schedule" "$work/o" -- train "${tiny[@]}" --sparsity 0.9 --update-end 100 --out "$work/o"
probe "--curriculum-reference alone" "$work/o" -- train "${tiny[@]}" --curriculum-reference self:1 --out "$work/o"
probe "--pacing-a alone" "$work/o" -- train "${tiny[@]}" --pacing-a 0.5 --out "$work/o"
probe "--pacing-sp with linear" "$work/o" -- train "${tiny[@]}" --curriculum loss --pacing linear --pacing-sp 0.1 --out "$work/o"
probe "--score-runs alone" "$work/o" -- train "${tiny[@]}" --score-runs 2 --out "$work/o"
probe "--noise-seed without noise" "$work/o" -- train "${tiny[@]}" --noise-seed 3 --out "$work/o"
probe "--fisher-samples without a probe" "$work/o" -- train "${tiny[@]}" --fisher-samples 64 --out "$work/o"
probe "--keep-first-dense on a dense run" "$work/o" -- train "${tiny[@]}" --keep-first-dense --out "$work/o"
probe "--keep-last-dense on a dense run" "$work/o" -- train "${tiny[@]}" --keep-last-dense --out "$work/o"
probe "prune --prune-embeddings" "$work/m.safetensors" -- prune --run "$run" --sparsity 0.5 --prune-embeddings --out "$work/m.safetensors"
probe "oneshot --damp with magnitude" "$work/os" -- oneshot --run "$run" --criterion magnitude --sparsity 0.5 --damp 0.01 --out "$work/os"
probe "fisher --kind without --scores" "$work/f.json" -- fisher --run "$run" --samples 16 --kind true --out "$work/f.json"
probe "inspect --checkpoint with --model" "" -- inspect --model mlp --checkpoint final
probe "inspect --noise-seed" "" -- inspect --run "$run" --noise-seed 2
probe "study --prune-rate without imp" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --prune-rate 0.3 --out "$work/s2"
probe "study --rewind without imp" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --rewind 2ep --out "$work/s2"
probe "study --fisher-samples with --no-fisher" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --no-fisher --fisher-samples 64 --out "$work/s2"
probe "study --curvature-samples with --no-curvature" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --no-curvature --curvature-samples 64 --out "$work/s2"
probe "study --path-train with --points 0" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --points 0 --path-train 100 --out "$work/s2"
probe "study --pacing without a curriculum arm" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --pacing linear --out "$work/s2"
probe "study --el2n-reference without the arm" "$work/s2" -- study gap "${tiny[@]}" --sparsities 0.9 --el2n-reference warmup:1 --out "$work/s2"
probe "bench train --kernels sparse on a dense model" "" -- bench train --models mlp --kernels sparse --steps 2 --warmup 1
"${cli[@]}" export --run "$run" --format sparse --out "$work/model.sparse.safetensors" >/dev/null 2>&1
probe "bench infer --sparsity on a model file" "" -- bench infer --model-file "$work/model.sparse.safetensors" --sparsity 0.9

# Errors that must say what to fix
probe "--out under /proc" "" -- prune --run "$run" --sparsity 0.5 --out /proc/qa-mask.safetensors
mkdir -p "$work/plotdir"
"${cli[@]}" bench spmm --rows 16 --cols 16 --batch 2 --sparsities 0.5 --threads 1 >"$work/spmm.jsonl" 2>/dev/null
probe "spmm-report --plot onto a folder" "" -- bench spmm-report --results "$work/spmm.jsonl" --plot "$work/plotdir"
[ "$(digest)" = "$before" ] || { failed=$((failed + 1)); echo "FAIL  the run's files changed under the probes"; }
cp "$run/checkpoints/final.ckpt" "$work/good.ckpt"
printf '\xff' | dd of="$run/checkpoints/final.ckpt" bs=1 seek=200 conv=notrunc status=none
probe "export of a checkpoint with a flipped byte" "$work/e.safetensors" -- export --run "$run" --out "$work/e.safetensors"
cp "$work/good.ckpt" "$run/checkpoints/final.ckpt"
truncate -s -10 "$run/checkpoints/final.ckpt"
probe "inspect of a checkpoint cut short" "" -- inspect --run "$run"
cp "$work/good.ckpt" "$run/checkpoints/final.ckpt"
[ "$(digest)" = "$before" ] || { failed=$((failed + 1)); echo "FAIL  the run's files changed under the probes"; }

echo "probes: $((total - failed)) of $total handled, $failed failed"
[ "$failed" -eq 0 ]
