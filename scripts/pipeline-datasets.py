#!/usr/bin/env python3
"""Builds the two support files of examples/pipeline/ from committed inputs (see examples/datasets/README.md).

    pipeline-datasets.py HELD_OUT_SPLIT GENERAL_BENCHMARK_SEED11 REPLAY_COUNT

HELD_OUT_SPLIT is the test.jsonl that `whetstone-worker finetune` prepares from support-multiple-choice-400.jsonl with
the pipeline's preprocessing and split (seed 42); it is written unchanged as support-multiple-choice-holdout.jsonl.
support-multiple-choice-train.jsonl gets every raw record of the 400 that is neither held out nor a copy of a held-out
question (same choices and answer, question words overlapping by half or more: the file's near duplicates differ only
in punctuation, spacing or a redacted detail), then the first REPLAY_COUNT general questions of
`whetstone-worker evaluate general-benchmark --seed 11 --count 1500` whose question is not in general-mc.jsonl.
"""
import json
import re
import sys
from pathlib import Path

DATASETS = Path(__file__).resolve().parent.parent / "examples" / "datasets"


def normalized(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def compact(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def main():
    held_out_path, general_path, replay_count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    held_out = [json.loads(line) for line in Path(held_out_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    keys = [(tuple(normalized(c) for c in h["choices"]), h["answer"], set(normalized(h["question"]).split())) for h in held_out]

    def is_held_out(record):
        choices = tuple(normalized(c) for c in record.get("choices", []))
        words = set(normalized(record.get("question", "")).split())
        return any(choices == c and record.get("answer") == a and len(words & w) >= 0.5 * max(1, len(words | w))
                   for c, a, w in keys)

    support = []
    for line in (DATASETS / "support-multiple-choice-400.jsonl").read_text(encoding="utf-8").splitlines(keepends=True):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            support.append(line)
            continue
        if not is_held_out(record):
            support.append(line)

    evaluated = {normalized(json.loads(line)["question"]) for line in (DATASETS / "general-mc.jsonl").read_text(encoding="utf-8").splitlines()}
    replay = []
    for line in Path(general_path).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if normalized(item["question"]) not in evaluated and len(replay) < replay_count:
            replay.append(compact({"question": item["question"], "choices": item["choices"], "answer": item["answer"]}))
    if len(replay) < replay_count:
        sys.exit(f"only {len(replay)} general questions are disjoint from general-mc.jsonl, {replay_count} asked")

    (DATASETS / "support-multiple-choice-holdout.jsonl").write_text("".join(compact(h) for h in held_out), encoding="utf-8")
    (DATASETS / "support-multiple-choice-train.jsonl").write_text("".join(support + replay), encoding="utf-8")
    print(f"held out {len(held_out)}; training file {len(support)} support records + {len(replay)} general (replay)")


if __name__ == "__main__":
    main()
