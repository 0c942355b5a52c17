"""The contracts plugins build on type-check: mypy on faithbench/api passes (CI runs pytest only,
so this test is how CI checks it), with the settings in pyproject.toml's [tool.mypy]."""

import subprocess
import sys

from conftest import ROOT


def test_mypy_passes_on_the_api():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "faithbench/api"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout
