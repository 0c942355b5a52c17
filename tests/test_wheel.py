"""Built-in tasks ship inside the wheel: `faithbench ls tasks` works outside the source tree."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT

# what a build of the source tree must not read or write (the wheel is built from a copy: a build in
# the tree rewrites its faithbench.egg-info and build/, which `python -m faithbench` run from the
# tree, in a test running beside this one under pytest-xdist, reads)
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "site",
    "faithbench-results", ".benchmarks",
)  # fmt: skip


def test_installed_wheel_lists_builtin_tasks(tmp_path):
    wheels, site, source = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    [wheel] = list(wheels.glob("faithbench-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import faithbench, faithbench_biased_prompts, faithbench_iphr, faithbench_leaderboard;"
            "print(faithbench.__file__); print(faithbench_biased_prompts.__file__);"
            "print(faithbench_iphr.__file__); print(faithbench_leaderboard.__file__)",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(line.startswith(str(site)) for line in probe.stdout.split())
    listed = subprocess.run(
        [sys.executable, "-m", "faithbench", "ls", "tasks"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert "suggested_answer  v1.1" in listed.stdout
    assert "[biased_prompts]" in listed.stdout  # the family arrived through its entry point
    assert (site / "faithbench" / "api" / "schemas" / "results.schema.json").is_file()
    assert (site / "faithbench_iphr" / "data" / "numeric_facts.json").is_file()
    assert (site / "faithbench_leaderboard" / "app.js").is_file()
    assert (site / "faithbench" / "py.typed").is_file()  # plugin authors' type checkers read the hints
    plugins = subprocess.run(
        [sys.executable, "-m", "faithbench", "plugins"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    # the synthetic models arrive as a plugin of their own, not among the core's backends
    assert "testing  (built-in)\n    models: fake, faulty, rationalizer" in plugins.stdout, plugins.stdout
