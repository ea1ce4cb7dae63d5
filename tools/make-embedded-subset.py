#!/usr/bin/env python3
"""Writes the small MNIST and Fashion-MNIST training subsets embedded in l2o-objectives.

Usage: tools/make-embedded-subset.py DATA_DIR [COUNT]
DATA_DIR holds mnist/ and fashion-mnist/ with the original gzip IDX files. The subset is the
first COUNT (default 4000) training images and labels, written as gzip IDX under
l2o-objectives/src/main/resources/org/l2o/objectives/embedded/<name>/ with fixed gzip headers,
so rerunning it gives identical bytes.
"""
import gzip
import os
import struct
import sys


def subset(src, dst, count):
    with gzip.open(src, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    rank = magic & 0xFF
    dims = list(struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank]))
    per = 1
    for d in dims[1:]:
        per *= d
    body = data[4 + 4 * rank:4 + 4 * rank + count * per]
    dims[0] = count
    out = struct.pack(">i", magic) + struct.pack(">" + "i" * rank, *dims) + body
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
            g.write(out)


def main():
    root = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "l2o-objectives", "src", "main", "resources", "org", "l2o", "objectives", "embedded")
    for name in ("mnist", "fashion-mnist"):
        for kind in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
            subset(os.path.join(root, name, kind + ".gz"), os.path.join(target, name, kind + ".gz"), count)


if __name__ == "__main__":
    main()
