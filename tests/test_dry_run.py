"""``run --dry-run``: the requests it counts are the requests the run then sends; nothing is sent
or written by the dry run itself."""

import re


def _sent(count_file) -> int:
    return len(count_file.read_text().splitlines()) if count_file.exists() else 0


def _to_send(output: str) -> int:
    row = next(line for line in output.splitlines() if line.startswith("| all | all |"))
    return int(row.split("|")[6])


def test_the_count_is_what_the_run_sends(run_fake, tmp_path, monkeypatch):
    count = tmp_path / "count"
    monkeypatch.setenv("FAITHBENCH_FAKE_COUNT_FILE", str(count))
    out = tmp_path / "out"
    tasks = "suggested_answer,hint_difficulty"  # the fake states its answers: one stage each
    flags = ("--samples-per-arm", "3", "--observer", "none")
    dry = run_fake(out, *flags, "--dry-run", tasks=tasks, limit=4)
    assert dry.exit_code == 0, dry.output
    assert _sent(count) == 0 and not out.exists()  # nothing sent, nothing written
    expected = _to_send(dry.output)
    assert expected == 4 * 3 + 4 * 4 * 3
    assert run_fake(out, *flags, tasks=tasks, limit=4).exit_code == 0
    assert _sent(count) == expected


def test_after_a_partial_run_it_counts_what_is_left(run_fake, tmp_path, monkeypatch):
    count = tmp_path / "count"
    monkeypatch.setenv("FAITHBENCH_FAKE_COUNT_FILE", str(count))
    out = tmp_path / "out"
    partial = run_fake(out, "--max-requests", "7", "--batch-size", "1", limit=6)
    assert partial.exit_code == 4, partial.output
    before = _sent(count)
    dry = run_fake(out, "--dry-run", limit=6)
    assert dry.exit_code == 0, dry.output
    left = _to_send(dry.output)
    assert left == 6 * 3 - before and "| 1 | suggested_answer |" in dry.output
    assert run_fake(out, limit=6).exit_code == 0
    assert _sent(count) - before == left


def test_a_price_gives_a_cost_bound(run_fake, tmp_path):
    dry = run_fake(tmp_path / "out", "--dry-run", "--price-per-mtok", "2,8", limit=3)
    assert dry.exit_code == 0, dry.output
    row = next(line for line in dry.output.splitlines() if line.startswith("| all | all |")).split("|")
    prompt, generated = int(row[7]), int(row[8])
    cost = float(re.search(r"at most \$([0-9.]+)", dry.output).group(1))
    assert cost == round(prompt * 2e-6 + generated * 8e-6, 4)
    assert "Not counted" in dry.output
