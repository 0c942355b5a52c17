"""Names for a model's results: its folder (run, publish) and its label (the site)."""

from __future__ import annotations

import re
from pathlib import Path

WEIGHTS_ARGS = ("model", "pretrained", "model_path")  # the arg that says which weights are run


def weights_name(args: dict) -> str | None:
    """The base name of the weights a model's args point at (API model id, HF repo, GGUF file)."""
    key = next((k for k in WEIGHTS_ARGS if k in args), None)
    return None if key is None else Path(str(args[key])).name


def model_slug(name: str, args: dict) -> str:
    """A folder name for a model's results: ``name__weights``, filesystem-safe."""
    weights = weights_name(args)
    label = f"{name}__{weights}" if weights else name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", label)
    # '.', '..' (or an empty name) would name the folder itself or its parent, not a folder in it
    return slug if slug.strip(".") else "_" * max(1, len(slug))


HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
WEIGHT_FILES = (".gguf", ".bin", ".safetensors", ".pt", ".pth", ".ggml")


def shown_weights(args: dict) -> str | None:
    """The weights as a reader tells them apart: a Hub id keeps its organisation
    (``meta-llama/Llama-3.1-8B``), a file path its file name (``gemma-3-270m-Q4_K_M.gguf``)."""
    key = next((k for k in WEIGHTS_ARGS if k in args), None)
    if key is None:
        return None
    text = str(args[key])
    if HUB_ID.fullmatch(text) and not text.lower().endswith(WEIGHT_FILES):
        return text
    return Path(text).name


def model_label(model: dict) -> str:
    """How the site names a results file's model: its weights, or else its args."""
    args = model.get("args") or {}
    weights = shown_weights(args)
    if weights:
        return f"{model['name']} ({weights})"
    extra = ",".join(f"{k}={v}" for k, v in sorted(args.items()))
    return f"{model['name']} ({extra})" if extra else model["name"]


def same_observer(a: dict | None, b: dict | None) -> bool:
    """Whether two runs' predictive figures come from the same observer (name, args, weights)."""
    keys = ("name", "args", "weights_sha256")
    if a is None or b is None:
        return a is None and b is None
    return all(a.get(k) == b.get(k) for k in keys)


def cue_label(condition: str, framing: str | None) -> str:
    """A condition as shown, with the visibility framing it ran under in a framed run."""
    return condition + (f" ({framing})" if framing else "")


def framing_of(value: dict) -> str | None:
    """The framing a metric value was measured under, or the pair of framings a difference compares."""
    return value.get("framing") or value.get("framings")
