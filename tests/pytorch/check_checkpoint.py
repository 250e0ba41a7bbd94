"""Run the README's Python lines on a checkpoint, then the MNIST test set through the model.

Usage: check_checkpoint.py README.md CHECKPOINT ASSETS_DIR
Prints {"accuracy": …, "loss": …, "samples": …} as one JSON line.
"""
import gzip
import json
import re
import sys

import numpy as np
import torch

readme, checkpoint, assets = sys.argv[1:4]
blocks = re.findall(r"```python\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)
assert len(blocks) == 1, f"expected one python block in the README, found {len(blocks)}"
code = blocks[0].replace('path = "run.safetensors"', f"path = {checkpoint!r}")
assert code != blocks[0], "the README's block no longer sets path"
scope = {}
exec(code, scope)
model = scope["model"]


def idx(name, offset):
    with gzip.open(f"{assets}/{name}.gz") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


images = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28)
labels = torch.tensor(idx("t10k-labels-idx1-ubyte", 8), dtype=torch.long)
x = torch.tensor(images, dtype=torch.float32) / 255.0
with torch.no_grad():
    logits = model(x)
loss = torch.nn.functional.cross_entropy(logits, labels).item()
accuracy = (logits.argmax(1) == labels).float().mean().item()
print(json.dumps({"accuracy": accuracy, "loss": loss, "samples": len(labels)}))
