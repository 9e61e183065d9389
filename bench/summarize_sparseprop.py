#!/usr/bin/env python3
# One layer's training step (forward, input and weight gradients, batch 128,
# 2 threads) on SparseProp and on SparseLab, each against its own framework's
# dense layer, from bench/sparseprop.sh's JSON lines, as a Markdown table.
import json, sys

peer, ours, header = {}, {}, {}
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "machine" in row:
        header = row
    elif "layer" in row:   # SparseProp (PyTorch 1.13)
        shape = row["shape"] if row["layer"] == "Linear" else row["shape"]
        peer[(row["layer"], shape, row["sparsity"])] = row
    elif "shape" in row:   # SparseLab (bench conv)
        layer = "Linear" if row["shape"].count(":") == 1 else "Conv2d"
        ours[(layer, row["shape"], row["sparsity"])] = row
print(f"Machine: {header.get('machine', '?')}; date: {header.get('date', '?')}; SparseProp {header.get('sparseprop', '?')[:7]}; batch 128, 2 threads.\n")
print("| layer | shape | sparsity | PyTorch dense ms | SparseProp ms | SparseProp speedup | libtorch dense ms | SparseLab ms | SparseLab speedup | SparseLab ms / SparseProp ms |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for key, p in peer.items():
    o = ours.get(key)
    cells = f"{o['dense_ms']:.2f} | {o['sparse_ms']:.2f} | {o['speedup']:.2f}× | {o['sparse_ms'] / p['sparseprop_ms']:.2f}" if o else "– | – | – | –"
    print(f"| {key[0]} | {key[1]} | {key[2]:.2f} | {p['dense_ms']:.2f} | {p['sparseprop_ms']:.2f} | {p['speedup']:.2f}× | {cells} |")
