#!/usr/bin/env python3
"""Prints a finished FineTuneJob (kubectl get ftj NAME -o json on stdin) as the summary a person reads."""
import json
import sys


def number(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}"


def main():
    job = json.load(sys.stdin)
    status = job.get("status", {})
    metrics = status.get("metrics", {})
    history = status.get("lossHistory", [])
    artifacts = status.get("artifacts", {})
    dataset = status.get("dataset", {})
    cost = status.get("cost", {})

    for label, key in (("Fine-tuned model", "model"), ("LoRA adapter", "adapter"), ("Loss curve", "lossCurve"),
                       ("Test split", "testSplit")):
        if key in artifacts:
            print(f"{label + ':':18}{artifacts[key]['uri']}  ({artifacts[key]['digest'][:19]}…)")
    curve = artifacts.get("lossCurve", {}).get("uri", "")
    if curve.endswith(".json"):
        print(f"{'Loss chart:':18}{curve[:-5]}.png")
    print()

    validated = [point for point in history if point.get("validationLoss") is not None]
    before = metrics.get("baseValidationLoss")
    before_note = "before: the base model"
    if before is None and validated:
        before, before_note = validated[0]["validationLoss"], f"before: first evaluation (step {validated[0]['step']})"
    rows = [("validation loss", before, metrics.get("validationLoss"),
             f"{before_note}; best {number(metrics.get('bestValidationLoss'))} at step {metrics.get('bestStep', '-')}")]
    if metrics.get("testAccuracy") is not None:
        rows.append(("test accuracy", metrics.get("baseTestAccuracy"), metrics["testAccuracy"],
                     "multiple choice on the held-out test split"))
    if history:
        rows.append(("train loss", history[0].get("trainLoss"), metrics.get("trainLoss"), f"before: step {history[0]['step']}"))
    print(f"{'':17}{'before':>8}{'after':>9}")
    for name, first, last, note in rows:
        print(f"{name:17}{number(first):>8}{number(last):>9}   {note}")
    print()

    records = dataset.get("records", {})
    dropped = ", ".join(f"{k} {v}" for k, v in dataset.get("dropped", {}).items() if v)
    redacted = ", ".join(f"{k} {v}" for k, v in dataset.get("redactions", {}).items() if v)
    if records:
        print(f"Dataset {dataset.get('digest', '')[:19]}…: {records.get('input', 0)} records in, "
              f"{records.get('train', 0)}/{records.get('validation', 0)}/{records.get('test', 0)} train/validation/test")
        print(f"  dropped: {dropped or 'none'}; redacted: {redacted or 'none'}")
    if cost:
        print(f"Cost: estimated {cost.get('estimatedGpuSeconds', 0):.3g} GPU-seconds (${cost.get('estimatedCost', 0):.3g}), "
              f"measured {cost.get('gpuSeconds', 0):.3g} GPU-seconds (${cost.get('cost', 0):.3g}); a CPU-only job uses none")


if __name__ == "__main__":
    main()
