#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into corpus/<target>/: small valid files and near misses.

Deterministic (gzip mtime 0), standard library only. Run from anywhere: python3 tests/fuzz/make_seeds.py
"""
import gzip
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


# ---- JSON ----
JSON_SEEDS = {
    "object": '{"a": [1, 2.5, -3e-7, true, false, null], "b": {"c": "d"}}',
    "string_escapes": '["\\u00e9\\n\\t\\"\\\\\\/", "\\ud83d\\ude00", "caf\u00e9 \u2713"]',
    "integers": "[9223372036854775807, -9223372036854775808, 9007199254740993, 0, -0, 1e308, 5e-324]",
    "nested": "[" * 20 + "{}" + "]" * 20,
    "empty": "{}",
    "scalar": ' "just a string" ',
    "trailing_comma": "[1, 2,]",
    "leading_zero": "[01]",
    "unpaired_surrogate": '["\\ud800"]',
    "control_char": '["a\x01b"]',
    "duplicate_key": '{"a": 1, "a": 2}',
    "too_deep": "[" * 65 + "]" * 65,
    "nan": "[NaN]",
    "comment": "{} // no",
    "bad_utf8": b'["\xc3\x28"]',
    "overflow": "[1e400, -1e400, 99999999999999999999]",
}


def json_seeds():
    for name, text in JSON_SEEDS.items():
        write("json", name, text)


# ---- safetensors ----
def safetensors(tensors, metadata=None, pad=True, header_override=None):
    """tensors: list of (name, shape, floats). Returns the file image."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    data = b""
    for name, shape, values in tensors:
        raw = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = header_override if header_override is not None else json.dumps(header, separators=(",", ":"))
    h = h.encode("utf-8")
    if pad:
        h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def safetensors_seeds():
    w = ("w", [2, 3], [0.5, -1.0, 2.0, 0.0, 1e-3, -7.25])
    b = ("b", [2], [1.0, -1.0])
    s = ("s", [], [3.0])
    write("safetensors", "valid", safetensors([w, b, s], {"k": "v", "aelab": "{}"}))
    write("safetensors", "valid_no_metadata", safetensors([b]))
    write("safetensors", "empty_tensor", safetensors([("e", [0, 3], [])]))
    write("safetensors", "no_tensors", safetensors([], {"only": "metadata"}))
    write("safetensors", "unpadded", safetensors([w], pad=False))
    ok = safetensors([w, b])
    write("safetensors", "truncated", ok[:-3])
    write("safetensors", "extra_byte", ok + b"\0")
    write("safetensors", "header_past_end", struct.pack("<Q", 1 << 40) + ok[8:])
    write("safetensors", "overlap", safetensors([], header_override=
          '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}')
          + b"\0" * 8)
    write("safetensors", "shape_mismatch", safetensors([], header_override=
          '{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}') + b"\0" * 8)
    write("safetensors", "dtype_f16", safetensors([], header_override=
          '{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}') + b"\0" * 4)
    write("safetensors", "huge_shape", safetensors([], header_override=
          '{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}'))
    write("safetensors", "not_object", safetensors([], header_override='["a"]'))
    write("safetensors", "metadata_not_string", safetensors([], header_override='{"__metadata__":{"a":1}}'))


# ---- model files ----
def config(arch, settings=None):
    a = {"spec": "", "input": 4, "encoderHidden": [], "code": 2, "decoderHidden": [],
         "activations": {"hidden": "relu", "code": "linear", "output": "sigmoid"},
         "tied": False, "variational": False}
    a.update(arch)
    s = {"variant": "undercomplete", "loss": "mse", "optimizer": "adam", "learningRate": 0.001,
         "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08, "batchSize": 128, "shuffle": True,
         "corruption": {"kind": "masking", "rate": 0.3}, "sparsity": "l1", "sparsityWeight": 0.001,
         "sparsityTarget": 0.05, "contractiveLambda": 0.001, "beta": 1}
    s.update(settings or {})
    return {"format": "aelab-model", "version": 1, "architecture": a, "settings": s}


def params(a):
    """(name, shape) of every parameter, in the model's order."""
    out, widths_in = [], a["input"]
    enc = a["encoderHidden"]
    for i, h in enumerate(enc):
        out += [("encoder.%d.weight" % i, [h, widths_in]), ("encoder.%d.bias" % i, [h])]
        widths_in = h
    k = a["code"] * (2 if a["variational"] else 1)
    out += [("encoder.%d.weight" % len(enc), [k, widths_in]), ("encoder.%d.bias" % len(enc), [k])]
    widths_in = a["code"]
    dec = a["decoderHidden"] + [a["input"]]
    for i, h in enumerate(dec):
        if not (i == 0 and a["tied"]):
            out.append(("decoder.%d.weight" % i, [h, widths_in]))
        out.append(("decoder.%d.bias" % i, [h]))
        widths_in = h
    return out


def model_file(cfg):
    tensors = []
    for n, (name, shape) in enumerate(params(cfg["architecture"])):
        count = 1
        for d in shape:
            count *= d
        tensors.append((name, shape, [((i * 7 + n) % 11 - 5) / 10.0 for i in range(count)]))
    return safetensors(tensors, {"aelab": json.dumps(cfg), "steps": "10", "seed": "1"})


def modelfile_seeds():
    cfgs = {
        "plain": config({}),
        "tied": config({"tied": True}),
        "deep": config({"input": 6, "encoderHidden": [3], "decoderHidden": [3]}),
        "variational": config({"variational": True}, {"variant": "variational", "loss": "bce"}),
        "sparse_kl": config({"code": 5, "activations": {"hidden": "tanh", "code": "sigmoid", "output": "linear"}},
                            {"variant": "sparse", "sparsity": "kl", "optimizer": "sgd"}),
        "denoising": config({}, {"variant": "denoising", "corruption": {"kind": "gaussian", "rate": 0.5}}),
        "contractive": config({}, {"variant": "contractive"}),
    }
    for name, c in cfgs.items():
        write("modelfile", "config_" + name, json.dumps(c, indent=1))
    write("modelfile", "file_plain", model_file(cfgs["plain"]))
    write("modelfile", "file_tied_deep", model_file(config({"input": 6, "encoderHidden": [3], "decoderHidden": [3],
                                                             "tied": True})))
    write("modelfile", "file_variational", model_file(cfgs["variational"]))
    bad = config({})
    bad["version"] = 2
    write("modelfile", "config_version2", json.dumps(bad))
    write("modelfile", "config_zero_width", json.dumps(config({"encoderHidden": [0]})))
    write("modelfile", "config_huge", json.dumps(config({"input": 100000, "encoderHidden": [100000] * 64})))
    write("modelfile", "config_lr_string", json.dumps(config({}, {"learningRate": "fast"})))
    write("modelfile", "config_not_object", " [1, 2]")


# ---- session files ----
def session(points=5, terms=("sparsity_l1",)):
    return {"format": "aelab-session", "version": 1, "data": {"id": "mnist", "label": "MNIST digits"},
            "seed": "42", "step": 3 * points, "epoch": 1,
            "history": {"terms": list(terms), "step": [3 * i + 1 for i in range(points)],
                        "epoch": [i / 10 for i in range(points)],
                        "reconstruction": [0.1 / (i + 1) for i in range(points)],
                        "term": [[None if i < 2 else 1e-4 * i for i in range(points)] for _ in terms],
                        "test": [[3, 0.09], [12, 0.05]], "markers": [[6, "\u2192 sparse"], [9, "lr 0.01, \"q\""]]}}


def session_seeds():
    write("session", "json_plain", json.dumps(session(), indent=1))
    write("session", "json_no_terms", json.dumps(session(terms=())))
    write("session", "json_two_terms", json.dumps(session(8, ("contractive", "kl"))))
    write("session", "json_empty_history", json.dumps(session(0, ())))
    bad = session()
    bad["history"]["step"][3] = 0
    write("session", "json_steps_back", json.dumps(bad))
    bad = session()
    bad["seed"] = "18446744073709551616"
    write("session", "json_seed_overflow", json.dumps(bad))
    bad = session()
    bad["history"]["epoch"].pop()
    write("session", "json_short_column", json.dumps(bad))
    cfg = config({})
    md = {"aelab": json.dumps(cfg), "aelab-session": json.dumps(session()), "steps": "15", "seed": "42"}
    tensors = []
    for n, (name, shape) in enumerate(params(cfg["architecture"])):
        count = 1
        for d in shape:
            count *= d
        tensors.append((name, shape, [((i * 5 + n) % 9 - 4) / 10.0 for i in range(count)]))
    write("session", "file_plain", safetensors(tensors, md))
    write("session", "file_model_only", model_file(cfg))


# ---- IDX ----
def idx_images(count, rows, cols, seed=0):
    pixels = bytes((i * 37 + seed) % 256 for i in range(count * rows * cols))
    return struct.pack(">IIII", 0x803, count, rows, cols) + pixels


def idx_labels(count):
    return struct.pack(">II", 0x801, count) + bytes(i % 10 for i in range(count))


def idx_input(images, labels, mode=0):
    return bytes([mode]) + struct.pack(">I", len(images)) + images + labels


def idx_seeds():
    img, lab = idx_images(3, 4, 5), idx_labels(3)
    write("idx", "raw", idx_input(img, lab))
    write("idx", "gzip_by_target", idx_input(img, lab, mode=3))
    write("idx", "gzip_files", idx_input(gz(img), gz(lab)))
    write("idx", "gzip_members", idx_input(gz(img[:10]) + gz(img[10:]), lab))
    write("idx", "gzip_truncated", idx_input(gz(img)[:-6], lab))
    write("idx", "gzip_trailing", idx_input(gz(img) + b"junk", gz(lab)))
    write("idx", "gzip_twice", idx_input(gz(gz(img)), lab))
    write("idx", "truncated", idx_input(img[:-1], lab))
    write("idx", "extra_byte", idx_input(img, lab + b"\0"))
    write("idx", "count_mismatch", idx_input(img, idx_labels(2)))
    write("idx", "label_10", idx_input(img, struct.pack(">II", 0x801, 3) + b"\x00\x0a\x01"))
    write("idx", "swapped", idx_input(lab, img))
    write("idx", "bad_type", idx_input(struct.pack(">IIII", 0x0D03, 1, 1, 1) + b"\0\0\0\0", lab))
    write("idx", "huge_header", idx_input(struct.pack(">IIII", 0x803, 1000000, 4096, 4096), lab, mode=1))
    write("idx", "mnist_sized", idx_input(idx_images(2, 28, 28, 5), idx_labels(2), mode=3))


if __name__ == "__main__":
    json_seeds()
    safetensors_seeds()
    modelfile_seeds()
    idx_seeds()
    session_seeds()
