#!/usr/bin/env python3
"""Writes the small seed corpora in Fuzz/Corpus/<harness>/ (committed; rerun only to regenerate them)."""
import gzip
import io
import json
import os
import struct
import zlib

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")


def write(harness, name, data):
    folder = os.path.join(root, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(data)


def raw_deflate(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
    return compressor.compress(data) + compressor.flush()


def gzip_bytes(data, name=None):
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=buffer, mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()


def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


texts = [
    b"",
    b"a",
    b"hello hello hello hello world",
    bytes(range(256)) * 2,
    b"abcabcabcabcabcabc" * 40 + bytes(range(0, 256, 3)),
]

# inflate: raw DEFLATE streams of every block type.
for index, text in enumerate(texts):
    write("inflate", f"default-{index}", raw_deflate(text))
    write("inflate", f"stored-{index}", raw_deflate(text, level=0))
    write("inflate", f"fixed-{index}", raw_deflate(text, strategy=zlib.Z_FIXED))
    write("inflate", f"huffman-{index}", raw_deflate(text, strategy=zlib.Z_HUFFMAN_ONLY))

# gzip: single and multiple members, header flags.
for index, text in enumerate(texts):
    write("gzip", f"member-{index}", gzip_bytes(text))
write("gzip", "named", gzip_bytes(b"named member\n", name="file.txt"))
write("gzip", "two-members", gzip_bytes(b"first, ") + gzip_bytes(b"second"))
write("gzip", "padded", gzip_bytes(b"padding follows") + b"\0\0\0\0")

# idx: every element type, raw and compressed.
labels = idx(0x08, [10], bytes(range(10)))
images = idx(0x08, [2, 4, 4], bytes(range(32)))
floats = idx(0x0D, [2, 3], b"".join(struct.pack(">f", v) for v in [0.0, -1.5, 3.25, 1e-30, 65504.0, 0.5]))
doubles = idx(0x0E, [3], b"".join(struct.pack(">d", v) for v in [0.0, -2.5, 1e300]))
shorts = idx(0x0B, [2, 2], b"".join(struct.pack(">h", v) for v in [1, -2, 300, -32768]))
ints = idx(0x0C, [2], b"".join(struct.pack(">i", v) for v in [7, -9]))
signed = idx(0x09, [3], bytes([0xFF, 0x7F, 0x80]))
for name, data in [("labels", labels), ("images", images), ("float32", floats), ("float64", doubles),
                   ("int16", shorts), ("int32", ints), ("int8", signed)]:
    write("idx", name, data)
    write("idx", name + ".gz", gzip_bytes(data))

# csv: a control byte (delimiter, header policy, label column, options) followed by the text.
csvs = [
    (0x00, b"x,y,label\n1,2,0\n3.5,-4,2\n"),
    (0x00, b"5.1,3.5,setosa\n6.3,3.3,virginica\n5.9,3.0,versicolor\n"),
    (0x01, b"a;b;c\n1;2;3\n4;5;6\n"),
    (0x40, b"569,30,malignant,benign\n1,2,3,0\n4,5,6,1\n"),
    (0x20, b"label,x\n\"a,b\",1\n\"multi\nline\",2\n"),
    (0x80, b"1,nan,0\n2,inf,1\n3,1e39,0\n"),
    (0x04, b"\xef\xbb\xbfx,y\r\n1,0\r\n2,1\r\n"),
]
for index, (control, text) in enumerate(csvs):
    write("csv", f"table-{index}", bytes([control]) + text)
write("csv", "table-gz", bytes([0x00]) + gzip_bytes(b"x,label\n1,0\n2,1\n"))

# safetensors: control byte 0 = JSON alone, 1 = a whole file.
def safetensors(tensors, metadata=None):
    header, data, offset = {}, b"", 0
    for name, (shape, values) in tensors.items():
        blob = b"".join(struct.pack("<f", v) for v in values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        data += blob
        offset += len(blob)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data

write("safetensors", "file-one", b"\x01" + safetensors({"w": ([2, 2], [1.0, 2.0, 3.0, 4.0])}))
write("safetensors", "file-meta", b"\x01" + safetensors({"b": ([3], [0.5, -0.5, 0.0]), "s": ([], [7.0])},
                                                     {"step": "12", "recipe": "mnist"}))
write("safetensors", "file-empty", b"\x01" + safetensors({}))
for index, text in enumerate([b'{"a": [1, 2.5e-3, -0, true, false, null], "b": {"c": "\\u00e9\\n"}}',
                              b'[]', b'"\\ud83d\\ude00"', b'{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}']):
    write("safetensors", f"json-{index}", b"\x00" + text)

# cifar: one CIFAR-10 record, one CIFAR-100 record, two CIFAR-10 records.
write("cifar", "cifar10-one", bytes([3]) + bytes((i * 7) % 256 for i in range(3072)))
write("cifar", "cifar100-one", bytes([4, 42]) + bytes((i * 5) % 256 for i in range(3072)))
write("cifar", "cifar10-two", (bytes([9]) + bytes(3072)) * 2)
