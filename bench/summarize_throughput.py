#!/usr/bin/env python3
# Median throughput per model from bench/train-throughput.sh's JSON lines, as a
# Markdown table: SparseLab dense, the PyTorch peer and their ratio (images/s;
# tokens/s for the GPT), and where measured SparseLab with a 90 %-sparse mask
# enforced every step (its overhead over dense).
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
header = {}
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    row = json.loads(line)
    if "model" not in row:
        header = row
        continue
    if row["framework"].startswith("sparselab"):
        side = "masked" if row.get("sparsity", 0) > 0 else "dense"
    else:
        side = "pytorch"
    runs[(row["model"], side)].append(row.get("images_per_s") or row["tokens_per_s"])
print(f"Machine: {header.get('machine', '?')}; date: {header.get('date', '?')}; batch 128 (GPT: 32 × 128 tokens), "
      "2 threads; medians over rounds; each round alternates which framework runs first.\n")
print("| model | unit | SparseLab dense | PyTorch (peer) | SparseLab / PyTorch | SparseLab 90 % masked | mask overhead | rounds |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for model in dict.fromkeys(m for m, _ in runs):
    d, p = (statistics.median(runs[(model, k)]) for k in ("dense", "pytorch"))
    masked = runs.get((model, "masked"))
    m = statistics.median(masked) if masked else None
    unit = "tokens/s" if model == "gpt" else "images/s"
    cells = f"{m:,.0f} | {100 * (d / m - 1):+.1f} %" if m else "– | –"
    print(f"| {model} | {unit} | {d:,.0f} | {p:,.0f} | {d / p:.2f} | {cells} | {len(runs[(model, 'dense')])} |")
