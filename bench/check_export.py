#!/usr/bin/env python3
"""Checks a `sparselab export` file without third-party packages: every weight
under a mask is exactly 0.0 where the mask is 0, and prints the mask's and the
weights' sparsity over the masked layers. Usage: check_export.py FILE.safetensors"""
import json, struct, sys

def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        raw = data[a:b]
        if meta["dtype"] == "F32":
            out[name] = struct.unpack(f"<{len(raw)//4}f", raw)
        elif meta["dtype"] == "U8":
            out[name] = raw
    return out

t = read(sys.argv[1])
masks = {k[len("masks."):]: v for k, v in t.items() if k.startswith("masks.")}
total = mask_zeros = weight_zeros = violations = 0
for name, m in masks.items():
    w = t[name]
    assert len(w) == len(m), name
    total += len(m)
    mask_zeros += sum(1 for x in m if x == 0)
    weight_zeros += sum(1 for x in w if x == 0.0)
    violations += sum(1 for x, y in zip(w, m) if y == 0 and x != 0.0)
print(f"{sys.argv[1]}: {len(masks)} masked layers, mask sparsity {mask_zeros/total:.6f}, "
      f"weight sparsity {weight_zeros/total:.6f}, nonzero weights at pruned positions: {violations}")
sys.exit(1 if violations else 0)
