#!/usr/bin/env python3
"""Training-step throughput of a Llama model in plain PyTorch, the reference side of Whetstone.ML.Bench.

Usage: train_step_bench.py CONFIG_JSON BATCH SEQUENCE WARMUP_STEPS MEASURED_STEPS THREADS [full|lora] [profile]
With "profile", the phases of a step (zero_grad, forward+loss, backward, clip, adamw) are timed apart and printed as
median milliseconds, like the C# side's --profile.
Prints one JSON line: parameters, trainableParameters, medianStepSeconds, tokensPerSecond, peakMemoryMb, finalLoss,
matmulPeakFlops (float32 2048x2048 matmul at the same thread count, in this process, before training) and blas
(the BLAS torch's build names and the library the system's libblas.so.3 resolves to, which is what Debian's torch
calls).

Same work per step as the C# trainer: forward, cross-entropy over next tokens (sum / targets), backward,
clip_grad_norm_(1.0), AdamW (weight decay 0.01 on matrices, none on norm weights), fp32 on the CPU.
LoRA ("lora"): rank 8, alpha 16, dropout 0.05 on q_proj and v_proj, as PEFT does it: x @ A^T @ B^T added to the
frozen projection, every other weight frozen (requires_grad false), AdamW over the adapters only.
Attention is an explicit causal softmax: Debian's PyTorch (1.13) has no scaled_dot_product_attention.
"""
import json
import math
import os
import re
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LoraLinear(nn.Module):
    def __init__(self, base, rank=8, alpha=16.0, dropout=0.05):
        super().__init__()
        self.base_layer = base
        self.lora_A = nn.Linear(base.in_features, rank, bias=False)
        self.lora_B = nn.Linear(rank, base.out_features, bias=False)
        nn.init.zeros_(self.lora_B.weight)
        self.dropout = nn.Dropout(dropout)
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(self.dropout(x))) * self.scaling


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, heads = c["hidden_size"], c["num_attention_heads"]
        self.heads, self.head_dim = heads, h // heads
        self.input_layernorm = RMSNorm(h, c.get("rms_norm_eps", 1e-6))
        self.post_attention_layernorm = RMSNorm(h, c.get("rms_norm_eps", 1e-6))
        self.q_proj = nn.Linear(h, h, bias=False)
        self.k_proj = nn.Linear(h, h, bias=False)
        self.v_proj = nn.Linear(h, h, bias=False)
        self.o_proj = nn.Linear(h, h, bias=False)
        self.gate_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], h, bias=False)

    def forward(self, x, cos, sin, causal):
        b, t, _ = x.shape
        y = self.input_layernorm(x)
        q, k, v = (p(y).view(b, t, self.heads, self.head_dim).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        attended = torch.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1) @ v
        x = x + self.o_proj(attended.transpose(1, 2).reshape(b, t, -1))
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        self.norm = RMSNorm(c["hidden_size"], c.get("rms_norm_eps", 1e-6))
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        head_dim = self.c["hidden_size"] // self.c["num_attention_heads"]
        inv = 1.0 / (self.c.get("rope_theta", 10000.0) ** (torch.arange(0, head_dim, 2).float() / head_dim))
        angles = torch.outer(torch.arange(t).float(), inv)
        angles = torch.cat((angles, angles), dim=-1)
        cos, sin = angles.cos(), angles.sin()
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, causal)
        return self.lm_head(self.norm(x))


def matmul_peak_flops(size=2048, repeats=10):
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2.0 * size ** 3 / best


def blas_description():
    system = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    built = re.findall(r"(?:BLAS_INFO|LAPACK_INFO)=[^,]*", torch.__config__.show())
    return f"torch {torch.__version__} ({', '.join(built)}) -> libblas.so.3 = {system}"


def add_lora(model):
    for p in model.parameters():
        p.requires_grad = False
    for layer in model.layers:
        layer.q_proj = LoraLinear(layer.q_proj)
        layer.v_proj = LoraLinear(layer.v_proj)


def main():
    config_path, batch, sequence, warmup, measured, threads = sys.argv[1], *map(int, sys.argv[2:7])
    mode = sys.argv[7] if len(sys.argv) > 7 else "full"
    profile = len(sys.argv) > 8 and sys.argv[8] == "profile"
    torch.set_num_threads(threads)
    peak = matmul_peak_flops()
    torch.manual_seed(1)
    with open(config_path) as f:
        config = json.load(f)
    model = Llama(config)
    for name, p in model.named_parameters():
        nn.init.ones_(p) if "norm" in name else nn.init.normal_(p, 0.0, 0.02)
    if mode == "lora":
        add_lora(model)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trainable if p.dim() >= 2 and "norm" not in n]
    no_decay = [p for n, p in trainable if not (p.dim() >= 2 and "norm" not in n)]
    groups = [{"params": decay, "weight_decay": 0.01}] + ([{"params": no_decay, "weight_decay": 0.0}] if no_decay else [])
    optimizer = torch.optim.AdamW(groups, lr=1e-4)
    generator = torch.Generator().manual_seed(1)
    times, loss_value = [], float("nan")
    phases = {name: [] for name in ("zero_grad", "forward+loss", "backward", "clip", "adamw")}
    for step in range(warmup + measured):
        ids = torch.randint(1, config["vocab_size"], (batch, sequence), generator=generator)
        start = time.perf_counter()
        marks = [start]
        optimizer.zero_grad()
        marks.append(time.perf_counter())
        logits = model(ids)
        loss_sum = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="sum")
        marks.append(time.perf_counter())
        (loss_sum / (batch * (sequence - 1))).backward()
        marks.append(time.perf_counter())
        torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
        marks.append(time.perf_counter())
        optimizer.step()
        marks.append(time.perf_counter())
        loss_value = loss_sum.item() / (batch * (sequence - 1))
        times.append(time.perf_counter() - start)
        if step >= warmup:
            for name, begin, end in zip(phases, marks, marks[1:]):
                phases[name].append((end - begin) * 1000.0)
    if profile:
        print(f"reference {mode}, {threads} thread(s), median ms per phase over {measured} steps ({blas_description()}):")
        for name, values in phases.items():
            print(f"  {name:<17} {statistics.median(values):8.1f}")
        return
    median = statistics.median(times[warmup:])
    print(json.dumps({
        "parameters": sum(p.numel() for p in model.parameters()),
        "trainableParameters": sum(p.numel() for _, p in trainable),
        "medianStepSeconds": median,
        "tokensPerSecond": batch * sequence / median,
        "peakMemoryMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "finalLoss": loss_value,
        "matmulPeakFlops": peak,
        "blas": blas_description(),
    }))


if __name__ == "__main__":
    main()
