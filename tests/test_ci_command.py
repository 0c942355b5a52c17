""".ci/run runs exactly the README's test command, and that command prints the slowest tests."""

import re

from conftest import ROOT


def readme_test_command() -> str:
    """The pytest command in the README's "Run the tests" block."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"Run the tests.*?```bash\n(.*?)\n```", text, re.S)
    assert block, "the README has no 'Run the tests' command block"
    return block.group(1).split("&&")[-1].strip()


def test_ci_runs_the_readme_test_command():
    command = readme_test_command()
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert [line for line in ci if "pytest" in line and not line.startswith("#")] == [command]
    assert command.startswith("python -m pytest") and "--durations=15" in command.split()
