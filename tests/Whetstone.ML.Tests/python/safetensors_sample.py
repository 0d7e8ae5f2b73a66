#!/usr/bin/env python3
"""Writes a safetensors file with torch, by hand (struct + json), in F32, F16, BF16 and I64.

Usage: safetensors_sample.py OUTPUT
Every float tensor holds (arange(6) * 0.5 - 1).reshape(2, 3), exactly representable in all three types.
"""
import json
import struct
import sys

import torch

NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def tensor_bytes(tensor):
    # numpy has no bfloat16: reinterpret the 2-byte values as int16 to get the raw bytes.
    if tensor.dtype == torch.bfloat16:
        return tensor.view(torch.int16).numpy().tobytes()
    return tensor.numpy().tobytes()


def main():
    base = torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1
    tensors = {
        "weights.f32": base,
        "weights.f16": base.to(torch.float16),
        "weights.bf16": base.to(torch.bfloat16),
        "counts.i64": torch.tensor([3, -4, 5], dtype=torch.int64),
    }
    header, chunks, offset = {"__metadata__": {"format": "pt", "writer": "python"}}, [], 0
    for name, tensor in tensors.items():
        raw = tensor_bytes(tensor.contiguous())
        header[name] = {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)


if __name__ == "__main__":
    main()
