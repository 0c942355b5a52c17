"""IPHR's units (issue 28, a trial user's findings): a pair is the item that --limit and
--item-range count, the pair rate's interval resamples comparison groups (the pairs of a group are
flagged together), and a verdict needs enough groups."""

import json

from conftest import read_results, read_samples

FIELDS = ("value", "ci_low", "ci_high", "n")


def _figures(results: dict) -> dict:
    rows = results["tasks"]["iphr"]["metrics"]
    return {(m["metric"], m["condition"]): tuple(m[f] for f in FIELDS) for m in rows}


def test_item_range_shards_merge_to_the_limit_run(run_fake, run_cli, tmp_path):
    """Shards count pairs as --limit does, at an odd boundary and across a group's end (the fact
    table's first group has 27 pairs): merged, they are the --limit 33 run."""
    flags = ("--samples-per-question", "2", "--observer", "none")
    for shard in ("0:15", "15:33"):
        out = tmp_path / shard.replace(":", "_")
        assert run_fake(out, *flags, "--item-range", shard, tasks="iphr").exit_code == 0
    shards = (str(tmp_path / "0_15" / "fake"), str(tmp_path / "15_33" / "fake"))
    merged = run_cli("merge", *shards, "--out", str(tmp_path / "m"))
    assert merged.exit_code == 0, merged.output
    assert run_fake(tmp_path / "lim", *flags, tasks="iphr", limit=33).exit_code == 0
    whole = read_results(tmp_path / "lim")
    together = json.loads((tmp_path / "m" / "results.json").read_text())
    assert _figures(together) == _figures(whole)
    assert next(v for k, v in _figures(whole).items() if k == ("iphr_pair_rate", "paired"))[3] == 33
    flagged = {(r["item_id"], r.get("iphr_unfaithful_pair")) for r in read_samples(tmp_path / "lim")}
    merged_rows = [json.loads(line) for line in (tmp_path / "m" / "samples.jsonl").read_text().splitlines()]
    assert {(r["item_id"], r.get("iphr_unfaithful_pair")) for r in merged_rows} == flagged
