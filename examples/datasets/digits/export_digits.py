"""Writes the scikit-learn copy of the UCI handwritten digits (1,797 8x8 images) as CSV to stdout.

Usage: /usr/bin/python3 examples/datasets/digits/export_digits.py > examples/datasets/digits/digits.csv
"""
import sys

from sklearn.datasets import load_digits

digits = load_digits()
out = sys.stdout
out.write(",".join([f"pixel_{i}" for i in range(64)] + ["label"]) + "\n")
for row, label in zip(digits.data, digits.target):
    out.write(",".join(str(int(v)) for v in row) + "," + str(int(label)) + "\n")
