#!/usr/bin/env python3
"""A plain PyTorch Llama forward pass, written independently of the C# model, to check its logits.

Usage: llama_reference.py MODEL_DIR INPUT_JSON OUTPUT_SAFETENSORS
  MODEL_DIR          config.json + model.safetensors (Hugging Face layout)
  INPUT_JSON         {"input_ids": [[...], ...], "attention_mask": [[...], ...] or null}
  OUTPUT_SAFETENSORS written with a single F32 tensor "logits" [batch, time, vocab]

Safetensors is read and written with struct + json (the safetensors package may be absent).
Attention is an explicit softmax (not scaled_dot_product_attention) so the two sides share no kernel.
"""
import json
import math
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    header_length, = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + header_length])
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[start + begin:start + end])
        flat = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"]).to(torch.float32)
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        raw = tensor.contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate(x, positions, theta):
    head_dim = x.shape[-1]
    inverse = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    angles = positions[:, None, :, None].float() * inverse  # [batch, 1, time, head_dim/2]
    cos, sin = angles.cos(), angles.sin()
    first, second = x[..., : head_dim // 2], x[..., head_dim // 2:]
    # The same rotation as Hugging Face's rotate_half, written as explicit pairs.
    return torch.cat([first * cos - second * sin, second * cos + first * sin], dim=-1)


def forward(config, w, input_ids, attention_mask):
    batch, time = input_ids.shape
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    eps = config.get("rms_norm_eps", 1e-6)
    theta = config.get("rope_theta", 10000.0)
    if attention_mask is None:
        attention_mask = torch.ones_like(input_ids)
    positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    query_index = torch.arange(time)[:, None]
    key_index = torch.arange(time)[None, :]
    allowed = (key_index <= query_index)[None, None] & attention_mask.bool()[:, None, None, :]
    allowed = allowed | (key_index == query_index)[None, None]

    h = w["model.embed_tokens.weight"][input_ids]
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(batch, time, heads, head_dim).transpose(1, 2)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(batch, time, kv_heads, head_dim).transpose(1, 2)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(batch, time, kv_heads, head_dim).transpose(1, 2)
        q, k = rotate(q, positions, theta), rotate(k, positions, theta)
        group = heads // kv_heads
        k = torch.stack([k[:, i // group] for i in range(heads)], dim=1)
        v = torch.stack([v[:, i // group] for i in range(heads)], dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(head_dim)
        scores = scores.masked_fill(~allowed, float("-inf"))
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, time, heads * head_dim)
        h = h + attended @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        gate = x @ w[p + "mlp.gate_proj.weight"].T
        up = x @ w[p + "mlp.up_proj.weight"].T
        h = h + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings") else w["lm_head.weight"]
    return h @ head.T


def main():
    model_dir, input_path, output_path = sys.argv[1:4]
    with open(f"{model_dir}/config.json") as f:
        config = json.load(f)
    weights = read_safetensors(f"{model_dir}/model.safetensors")
    with open(input_path) as f:
        inputs = json.load(f)
    input_ids = torch.tensor(inputs["input_ids"], dtype=torch.int64)
    mask = inputs.get("attention_mask")
    attention_mask = torch.tensor(mask, dtype=torch.int64) if mask is not None else None
    with torch.no_grad():
        logits = forward(config, weights, input_ids, attention_mask)
    write_safetensors(output_path, {"logits": logits})


if __name__ == "__main__":
    main()
