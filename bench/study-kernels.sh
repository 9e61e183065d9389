#!/usr/bin/env bash
# The study-level figure for sparse training kernels (issue 14): the same
# `study gap` (MODEL, default mlp-wide; full Fashion-MNIST, sparsities 0.95
# and 0.99, one seed, 3 epochs, no Fisher tracking) with --kernels auto and
# --kernels dense, each run's wall time and numbers side by side. Run with the
# machine to itself:
#   [MODEL=lenet5] flock /tmp/sparselab-cpu.lock bench/study-kernels.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-mlp-wide}
out=${1:-runs/study-kernels-$model}
for k in auto dense; do
  /usr/bin/time -f "$k: study wall %e s" ./sparselab study gap --dataset fashion-mnist --model "$model" --sparsities 0.95,0.99 \
    --seeds 1 --epochs 3 --no-fisher --kernels "$k" --out "$out/$k" > "$out-$k.log" 2>&1 || { tail "$out-$k.log"; exit 1; }
  tail -1 "$out-$k.log"
done
python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
rows = {}
for k in ("auto", "dense"):
    for d in sorted(glob.glob(f"{out}/{k}/runs/*")):
        s = json.load(open(f"{d}/summary.json"))
        rows.setdefault(os.path.basename(d).rsplit("-", 1)[0], {})[k] = s
print("| run | dense kernels s | auto s | speedup | test acc dense | test acc auto | train loss dense | train loss auto |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, v in rows.items():
    d, a = v["dense"], v["auto"]
    print(f"| {name} | {d['wall_seconds']:.1f} | {a['wall_seconds']:.1f} | {d['wall_seconds'] / a['wall_seconds']:.2f}× | "
          f"{d['test_accuracy']:.4f} | {a['test_accuracy']:.4f} | {d['train_loss']:.6f} | {a['train_loss']:.6f} |")
PY
