#!/usr/bin/env python3
# Median images/s per model from bench/train-throughput.sh's JSON lines, as a
# Markdown table: SparseLab dense, SparseLab with a 90 %-sparse mask enforced
# every step (its overhead), and the PyTorch peer (SparseLab dense / PyTorch).
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
header = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "model" not in row:
        header = row
        continue
    if row["framework"].startswith("sparselab"):
        side = "masked" if row.get("sparsity", 0) > 0 else "dense"
    else:
        side = "pytorch"
    runs[(row["model"], side)].append(row["images_per_s"])
print(f"Machine: {header.get('machine', '?')}; date: {header.get('date', '?')}; batch 128, 2 threads; medians over rounds.\n")
print("| model | SparseLab dense | SparseLab 90 % masked | mask overhead | PyTorch (peer) | SparseLab / PyTorch | rounds |")
print("|---|---:|---:|---:|---:|---:|---:|")
for model in dict.fromkeys(m for m, _ in runs):
    d, m, p = (statistics.median(runs[(model, k)]) for k in ("dense", "masked", "pytorch"))
    print(f"| {model} | {d:,.0f} | {m:,.0f} | {100 * (d / m - 1):+.1f} % | {p:,.0f} | {d / p:.2f} | {len(runs[(model, 'dense')])} |")
