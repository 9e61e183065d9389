#!/usr/bin/env python3
# Median images/s per model and framework from bench/train-throughput.sh's
# JSON lines, as a Markdown table with the SparseLab / PyTorch ratio.
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
header = {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "model" not in row:
        header = row
        continue
    side = "sparselab" if row["framework"].startswith("sparselab") else "pytorch"
    runs[(row["model"], side)].append(row["images_per_s"])
print(f"Machine: {header.get('machine', '?')}; date: {header.get('date', '?')}; batch 128, 2 threads.\n")
print("| model | SparseLab images/s (median) | PyTorch images/s (median) | ratio | rounds |")
print("|---|---:|---:|---:|---:|")
for model in dict.fromkeys(m for m, _ in runs):
    ours, peer = runs[(model, "sparselab")], runs[(model, "pytorch")]
    mo, mp = statistics.median(ours), statistics.median(peer)
    print(f"| {model} | {mo:,.0f} | {mp:,.0f} | {mo / mp:.2f} | {len(ours)} |")
