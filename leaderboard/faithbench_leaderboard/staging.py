"""A site is written whole or not at all: every file goes into a staging folder inside the
target first, and only a complete site is moved over the one already there, entry by entry, by
renames (which need no free space). A failure while writing (a full disk) leaves the earlier site
as it was and is one ``Error:``; files in the target that are not the site's are left alone."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from faithbench.api.errors import UserError


def write_whole(out: str | Path, write: Callable[[Path], Path]) -> Path:
    """``write(folder)`` writes the site into ``folder`` and returns its index page; the site
    then replaces what ``out`` held under the same names. Returns the index page in ``out``."""
    out = Path(out)
    created = not os.path.lexists(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".faithbench-site-"))
    except OSError as exc:
        raise UserError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
    done = False
    try:
        index = write(staging)
        _move_in(staging, out)
        done = True
    except OSError as exc:
        kept = "nothing was written" if created else "the site already there is left as it was"
        raise UserError(f"cannot write the site to {out}: {exc.strerror or exc}; {kept}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not done and created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
    return out / index.relative_to(staging)


def _move_in(staging: Path, out: Path) -> None:
    """Each entry of ``staging`` renamed over its namesake in ``out`` (that one set aside first,
    never followed if a link); on a failure every entry is put back as it was."""
    aside = Path(tempfile.mkdtemp(dir=out, prefix=".faithbench-old-"))
    names = sorted(p.name for p in staging.iterdir())
    moved: list[str] = []  # set aside, then (if in ``placed``) replaced by the new entry
    placed: list[str] = []
    try:
        for name in names:
            if os.path.lexists(out / name):
                os.rename(out / name, aside / name)
                moved.append(name)
            os.rename(staging / name, out / name)
            placed.append(name)
    except OSError:
        for name in reversed(placed):
            os.rename(out / name, staging / name)
        for name in reversed(moved):
            os.rename(aside / name, out / name)
        aside.rmdir()  # empty again; were a rename back to fail, the earlier files stay in it
        raise
    shutil.rmtree(aside, ignore_errors=True)
