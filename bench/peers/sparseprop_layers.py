#!/usr/bin/python3
# SparseProp (IST-DASLab/sparseprop, Nikdan et al. 2023) vs dense PyTorch: one training
# step (forward + backward giving input and weight gradients) of a single layer, CPU.
#
#   bench/sparseprop.sh builds SparseProp and runs this beside `sparselab bench conv`;
#   SPARSEPROP_SRC=<built source> /usr/bin/python3 bench/peers/sparseprop_layers.py [--reps 20] [--warmup 3]
#
# Environment (all set by this script itself if unset, so no exports are needed):
#   PYTHONPATH      the script prepends $SPARSEPROP_SRC (required) to sys.path: that folder
#                   holds the sparseprop/ package and the compiled top-level extension
#                   backend.cpython-311-x86_64-linux-gnu.so (bench/sparseprop.sh builds it).
#   OMP_NUM_THREADS=2       SparseProp's kernels are plain OpenMP loops; they use the
#                           OpenMP thread count (libgomp, shared with torch). Default 2.
#   OPENBLAS_NUM_THREADS=1  dense Linear goes to OpenBLAS (Debian's torch has BLAS_INFO=generic;
#                           libblas.so.3 must point at openblas-pthread); torch's own threads=2.
# Must run with Debian's /usr/bin/python3 (torch 1.13 from python3-torch, numpy, scipy),
# not a pyenv/venv python: the extension is built against /usr/include/python3.11.
#
# Output: one JSON line per (layer, shape, sparsity). shape is "IN:OUT" for Linear and
# SparseLab's conv-step format "IC:OC:H:stride:K:pad" for Conv2d (square inputs).
# dense_ms: nn.Linear / nn.Conv2d whose weight is already masked (the mask multiply is not
# timed; the dense layer computes the full dense weight gradient).
# sparseprop_ms: SparseLinear / SparseConv2d built with .from_dense(); for Conv2d both of
# SparseProp's kernels are timed (vectorized over the batch B, "over_b", and over the
# output width, "over_on" = vectorizing_over_on=True) and sparseprop_ms is the faster one.
# max_abs_diff: max over output, input gradient and weight gradient (weight gradient of the
# sparse layer scattered back to dense positions, compared with dense grad * mask), over
# the conv variants; the per-tensor parts and the reference magnitudes are also printed.
# max_rel_diff: max over the three tensors of diff / max|dense reference tensor|.
# Linear layers have a bias (as in SparseLab's MLPs); convolutions have none (as in ResNets).
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.environ["SPARSEPROP_SRC"])

import argparse
import json
import statistics
import time
import warnings

warnings.filterwarnings("ignore", message="The value of the smallest subnormal")

import torch

from sparseprop.modules import SparseConv2d, SparseLinear
from sparseprop.modules.utils import from_csr_2d, from_sparse_format_conv2d

BATCH = 128
SPARSITIES = (0.90, 0.95, 0.98)
LINEAR_SHAPES = ((784, 300), (784, 2400), (2400, 800))
# (IC, OC, H, stride, K, pad)
CONV_SHAPES = ((16, 16, 32, 1, 3, 1), (32, 32, 16, 1, 3, 1), (64, 64, 8, 1, 3, 1),
               (16, 32, 32, 2, 3, 1), (32, 64, 16, 2, 3, 1))


def random_mask(shape, sparsity, gen):
    """Unstructured mask with exactly round(sparsity * numel) zeros."""
    n = 1
    for s in shape:
        n *= s
    nz = n - int(round(sparsity * n))
    perm = torch.randperm(n, generator=gen)
    mask = torch.zeros(n)
    mask[perm[:nz]] = 1.0
    return mask.view(shape)


def step(module, x, gout):
    """One training step's compute: forward, backward to input and parameters."""
    x.grad = None
    for p in module.parameters():
        p.grad = None
    t0 = time.perf_counter()
    out = module(x)
    out.backward(gout)
    t1 = time.perf_counter()
    return (t1 - t0) * 1e3, out


def timeit(module, x, gout, warmup, reps):
    for _ in range(warmup):
        step(module, x, gout)
    return statistics.median(step(module, x, gout)[0] for _ in range(reps))


def check(dense, sparse, x, gout, mask, weight_grad_to_dense):
    """Max abs differences of output, input grad and weight grad vs the dense layer."""
    xd = x.detach().clone().requires_grad_()
    xs = x.detach().clone().requires_grad_()
    _, od = step(dense, xd, gout)
    _, os_ = step(sparse, xs, gout)
    gw_d = dense.weight.grad * mask
    gw_s = weight_grad_to_dense(sparse)
    d = {
        "diff_out": (od - os_).abs().max().item(),
        "diff_grad_input": (xd.grad - xs.grad).abs().max().item(),
        "diff_grad_weight": (gw_d - gw_s).abs().max().item(),
        "ref_max_out": od.abs().max().item(),
        "ref_max_grad_input": xd.grad.abs().max().item(),
        "ref_max_grad_weight": gw_d.abs().max().item(),
    }
    if dense.bias is not None:
        d["diff_grad_bias"] = (dense.bias.grad - sparse.bias.grad).abs().max().item()
    return d


def rel(d):
    """max over out / grad_input / grad_weight of diff / max|dense reference|."""
    return float("%.3g" % max(d["diff_" + k] / max(d["ref_max_" + k], 1e-30)
                              for k in ("out", "grad_input", "grad_weight")))


def run_linear(fin, fout, sp, args, gen):
    dense = torch.nn.Linear(fin, fout, bias=True)
    mask = random_mask(dense.weight.shape, sp, gen)
    with torch.no_grad():
        dense.weight.mul_(mask)
    sparse = SparseLinear.from_dense(dense)
    x = torch.randn(BATCH, fin, generator=gen).requires_grad_()
    gout = torch.randn(BATCH, fout, generator=gen)

    def wgrad(m):
        return from_csr_2d(m.W_val.grad, m.W_idx, shape=(m.N, m.M))

    diffs = check(dense, sparse, x, gout, mask, wgrad)
    dense_ms = timeit(dense, x, gout, args.warmup, args.reps)
    sp_ms = timeit(sparse, x, gout, args.warmup, args.reps)
    rec = {"layer": "Linear", "shape": f"{fin}:{fout}", "sparsity": sp,
           "dense_ms": round(dense_ms, 3), "sparseprop_ms": round(sp_ms, 3),
           "speedup": round(dense_ms / sp_ms, 3),
           "max_abs_diff": max(diffs[k] for k in diffs if k.startswith("diff_")),
           "max_rel_diff": rel(diffs)}
    rec.update({k: float(f"{v:.3g}") for k, v in diffs.items()})
    return rec


def run_conv(ic, oc, h, stride, k, pad, sp, args, gen):
    dense = torch.nn.Conv2d(ic, oc, k, stride=stride, padding=pad, bias=False)
    mask = random_mask(dense.weight.shape, sp, gen)
    with torch.no_grad():
        dense.weight.mul_(mask)
    x = torch.randn(BATCH, ic, h, h, generator=gen).requires_grad_()
    oh = (h + 2 * pad - k) // stride + 1
    gout = torch.randn(BATCH, oc, oh, oh, generator=gen)

    def wgrad(m):
        return from_sparse_format_conv2d(m.W_val.grad, m.W_idx, shape=(m.OC, m.IC, m.K, m.K))

    variants = {}
    all_diffs = {}
    for name, voo in (("over_b", False), ("over_on", True)):
        sparse = SparseConv2d.from_dense(dense, vectorizing_over_on=voo)
        d = check(dense, sparse, x, gout, mask, wgrad)
        for kk, v in d.items():
            all_diffs[kk] = max(all_diffs.get(kk, 0.0), v)
        variants[name] = timeit(sparse, x, gout, args.warmup, args.reps)
    dense_ms = timeit(dense, x, gout, args.warmup, args.reps)
    best = min(variants, key=variants.get)
    sp_ms = variants[best]
    rec = {"layer": "Conv2d", "shape": f"{ic}:{oc}:{h}:{stride}:{k}:{pad}", "sparsity": sp,
           "dense_ms": round(dense_ms, 3), "sparseprop_ms": round(sp_ms, 3),
           "speedup": round(dense_ms / sp_ms, 3),
           "max_abs_diff": max(all_diffs[kk] for kk in all_diffs if kk.startswith("diff_")),
           "max_rel_diff": rel(all_diffs),
           "sparseprop_variant": best,
           "sparseprop_ms_over_b": round(variants["over_b"], 3),
           "sparseprop_ms_over_on": round(variants["over_on"], 3)}
    rec.update({kk: float(f"{v:.3g}") for kk, v in all_diffs.items()})
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="", help="'linear' or 'conv' to run one family")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    if args.only in ("", "linear"):
        for fin, fout in LINEAR_SHAPES:
            for sp in SPARSITIES:
                print(json.dumps(run_linear(fin, fout, sp, args, gen)), flush=True)
    if args.only in ("", "conv"):
        for shape in CONV_SHAPES:
            for sp in SPARSITIES:
                print(json.dumps(run_conv(*shape, sp, args, gen)), flush=True)


if __name__ == "__main__":
    main()
