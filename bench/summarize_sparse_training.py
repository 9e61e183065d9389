#!/usr/bin/env python3
# Median images/s per (model, sparsity) from bench/sparse-training.sh's JSON
# lines, as a Markdown table: SparseLab on dense, sparse and auto kernels, the
# PyTorch peer (dense kernels, mask applied), and the speedups over SparseLab dense.
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
layers = {}
header = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "model" not in row:
        header = row
        continue
    side = row["kernels"] if row["framework"].startswith("sparselab") else "pytorch"
    key = (row["model"], row.get("sparsity", 0.0))
    runs[key + (side,)].append(row["images_per_s"])
    if side == "auto":
        layers[key] = row.get("sparse_layers") or "none"

def med(key):
    return statistics.median(runs[key]) if runs.get(key) else None

def num(v):
    return "—" if v is None else f"{v:,.0f}"

print(f"Machine: {header.get('machine', '?')}; date: {header.get('date', '?')}; batch 128; medians over rounds.\n")
print("| model | sparsity | SparseLab dense | sparse | auto | PyTorch masked (peer) | sparse / dense | auto / dense | dense / peer | auto's sparse layers |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for model, sparsity in dict.fromkeys((m, s) for m, s, _ in runs):
    d, sp, a, p = (med((model, sparsity, k)) for k in ("dense", "sparse", "auto", "pytorch"))
    ratio = lambda x, y: "—" if x is None or y is None else f"{x / y:.2f}×"
    print(f"| {model} | {sparsity:g} | {num(d)} | {num(sp)} | {num(a)} | {num(p)} | {ratio(sp, d)} | {ratio(a, d)} | {ratio(d, p)} | "
          f"{layers.get((model, sparsity), '—') if sparsity > 0 else '—'} |")
