#!/usr/bin/python3
# PyTorch peer benchmark for SparseLab: dense CPU training throughput (images/s)
# of the same models SparseLab trains, for comparison with SparseLab's own bench.
#
#   /usr/bin/python3 bench/peers/train_throughput.py \
#       --models mlp,lenet5,resnet20,resnet32 --batch-size 128 --steps 50 --warmup 5 --threads 2
#
# Prints one JSON line per model. Architectures and parameter counts match SparseLab
# (mlp 266,610; lenet5 61,706; resnet20 269,722; resnet32/100 classes 470,004;
# vgg11 9,231,114).
#
# Setup (Debian 12): `apt-get install python3-torch libopenblas0-pthread` and run with
# /usr/bin/python3 (Debian's torch 1.13), not a pyenv/venv python.
# Debian's torch has BLAS_INFO=generic: it calls whatever libblas.so.3 the alternatives
# system selects. Without libopenblas0-pthread that is the reference BLAS, about 10x
# slower (1024x1024 sgemm: ~5 vs ~50-65 GFLOP/s on one EPYC core). Check with
#   update-alternatives --display libblas.so.3-x86_64-linux-gnu
# which must point to .../openblas-pthread/libblas.so.3 (priority 100 wins in auto mode;
# else `sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu
#   /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3`, same for liblapack.so.3).
# OPENBLAS_NUM_THREADS defaults to 1 so OpenBLAS's pthreads don't oversubscribe the
# cores with torch's OpenMP threads (set by --threads); convolutions use oneDNN/OpenMP.
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp(classes):  # LeNet-300-100
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(),
                         nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, classes))


def lenet5(classes):
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, classes))


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes // 4 if stride != 1 or in_planes != planes else 0

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        # Option A shortcut (parameter-free), as in akamaster/pytorch_resnet_cifar10.
        sc = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad)) if self.pad else x
        return F.relu(out + sc)


class CifarResNet(nn.Module):  # He et al. 2016, CIFAR variant
    def __init__(self, depth, classes):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = []
            for i in range(n):
                blocks.append(BasicBlock(in_planes, planes, stride if i == 0 else 1))
                in_planes = planes
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def mlp_wide(classes):  # LeNet-300-100 eight times wider, as SparseLab's mlp-wide
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 2400), nn.ReLU(),
                         nn.Linear(2400, 800), nn.ReLU(), nn.Linear(800, classes))


def vgg11(classes):  # VGG-11 with BatchNorm, CIFAR variant, as SparseLab's Models/Vgg.cs
    layers, channels = [], 3
    for entry in (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"):
        if entry == "M":
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
        else:
            layers += [nn.Conv2d(channels, entry, 3, padding=1), nn.BatchNorm2d(entry), nn.ReLU()]
            channels = entry
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(channels, classes))


# name -> (constructor, input shape, classes)
MODELS = {
    "mlp": (mlp, (1, 28, 28), 10),
    "mlp-wide": (mlp_wide, (1, 28, 28), 10),
    "lenet5": (lenet5, (1, 28, 28), 10),
    "resnet20": (lambda c: CifarResNet(20, c), (3, 32, 32), 10),
    "resnet32": (lambda c: CifarResNet(32, c), (3, 32, 32), 100),
    "vgg11": (vgg11, (3, 32, 32), 10),
}


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(m.weight)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


def global_magnitude_masks(model, sparsity):
    """0/1 masks keeping the largest |w| over all Conv2d/Linear weights together."""
    weights = [m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    scores = torch.cat([w.detach().abs().flatten() for w in weights])
    k = int(round(sparsity * scores.numel()))
    threshold = scores.kthvalue(k).values if k > 0 else -1.0
    return [(w, (w.detach().abs() > threshold).float()) for w in weights]


def bench(name, batch, steps, warmup, threads, sparsity=0.0):
    build, shape, classes = MODELS[name]
    model = build(classes)
    model.apply(init_weights)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(batch, *shape)
    y = torch.randint(0, classes, (batch,))
    # Masked training as PyTorch sparse-training libraries run it (dense kernels): the
    # gradient is masked before the step, the weights after it.
    masks = global_magnitude_masks(model, sparsity) if sparsity > 0 else []
    with torch.no_grad():
        for w, m in masks:
            w.mul_(m)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        with torch.no_grad():
            for w, m in masks:
                w.grad.mul_(m)
        opt.step()
        with torch.no_grad():
            for w, m in masks:
                w.mul_(m)

    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    elapsed = time.perf_counter() - t0
    return {"model": name, "batch": batch, "threads": threads, "steps": steps, "sparsity": sparsity,
            "kernels": "dense",
            "images_per_s": round(batch * steps / elapsed, 1),
            "params": sum(p.numel() for p in model.parameters()),
            "framework": "pytorch " + torch.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--models", default="mlp,lenet5,resnet20,resnet32")
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sparsity", type=float, default=0.0, help="global-magnitude mask enforced every step")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name in a.models.split(","):
        print(json.dumps(bench(name.strip(), a.batch_size, a.steps, a.warmup, a.threads, a.sparsity)),
              flush=True)


if __name__ == "__main__":
    main()
