"""The labeling page of ``judges sample --page``: one self-contained file over a ``judges sample``
draw, for a person to label each CoT (keys y / n / s) with its cue highlighted, where no site was
built. It embeds label.js, the same module as the sample browser's labeling mode (which also
opens such a draw), so both label, keep (localStorage, per sample, across reloads) and export
(the ``judges evaluate`` format, every row's fields and weights kept) alike."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).parent


def _embedded(rows: list[dict]) -> str:
    """The rows as JSON safe inside a <script> element (no '<' to close it early)."""
    return json.dumps(rows).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_labeling_page(rows: list[dict], folder: Path) -> Path:
    """``folder/label.html`` for labeling ``rows``; the storage key is the sample's own digest, so
    two samples never share labels."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]
    fills = {
        "/*ROWS*/": _embedded(rows),
        "/*KEY*/": json.dumps(f"faithbench-labels:{digest}"),
        "/*SCRIPT*/": (HERE / "label.js").read_text(encoding="utf-8"),
    }
    template = (HERE / "label.html").read_text(encoding="utf-8")
    # one pass, so a CoT that happens to contain a placeholder is never filled in
    page = re.sub(r"/\*(?:ROWS|KEY|SCRIPT)\*/", lambda m: fills[m.group(0)], template)
    path = folder / "label.html"
    path.write_text(page, encoding="utf-8")
    return path
