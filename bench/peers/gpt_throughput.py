#!/usr/bin/python3
# PyTorch peer for `sparselab bench train --models gpt`: training throughput
# (tokens/s) of the same character-level GPT (SparseLab's Models/Gpt.cs):
# token + learned position embeddings, pre-LayerNorm blocks of causal
# self-attention (separate q, k, v, output Linear layers) and a 4x GELU MLP,
# final LayerNorm, head tied to the token embedding, GPT-2 init; AdamW
# (lr 3e-4, betas 0.9/0.95, weight decay 0.1 on parameters of >= 2 dims),
# gradient clipping at norm 1, random byte tokens.
#
#   OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/gpt_throughput.py --steps 30 --warmup 5 --threads 2
#
# Prints one JSON line. Same setup notes as train_throughput.py (Debian's torch 1.13, OpenBLAS).
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, e, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.proj = (nn.Linear(e, e) for _ in range(4))

    def forward(self, x):
        b, t, c = x.shape
        d = c // self.heads
        q, k, v = (l(x).view(b, t, self.heads, d).transpose(1, 2) for l in (self.q, self.k, self.v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d)
        future = torch.ones(t, t, dtype=torch.bool).triu(1)
        w = F.softmax(scores.masked_fill(future, float("-inf")), dim=-1)
        return self.proj((w @ v).transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, e, heads):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(e), Attention(e, heads), nn.LayerNorm(e)
        self.mlp_fc, self.mlp_proj = nn.Linear(e, 4 * e), nn.Linear(4 * e, e)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp_proj(F.gelu(self.mlp_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab=256, block=128, layers=4, heads=4, e=128):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, e), nn.Embedding(block, e)
        self.h = nn.ModuleList(Block(e, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(e)
        for name, p in self.named_parameters():
            if name.endswith(".bias"):
                nn.init.zeros_(p)
            elif name.startswith("ln") or ".ln" in name:
                nn.init.ones_(p)
            else:
                nn.init.normal_(p, 0, 0.02 / math.sqrt(2 * layers) if name.endswith("proj.weight") else 0.02)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Gpt().train()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}], lr=3e-4, betas=(0.9, 0.95))
    x = torch.randint(0, 256, (a.batch_size, 128))
    y = torch.randint(0, 256, (a.batch_size, 128))
    for i in range(a.warmup + a.steps):
        if i == a.warmup:
            start = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(model(x).view(-1, 256), y.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"model": "gpt", "batch": a.batch_size, "block_size": 128, "threads": torch.get_num_threads(), "steps": a.steps,
                      "tokens_per_s": round(a.batch_size * 128 * a.steps / seconds, 1),
                      "params": sum(p.numel() for p in model.parameters()), "framework": f"pytorch {torch.__version__}"}))


if __name__ == "__main__":
    main()
