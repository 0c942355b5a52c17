"""bench/coverage.py (issue 28): the simulation measures what faithbench's intervals cover, with
faithbench's own code; a cheap run here checks it runs, plants what it says and can tell a good
interval from a bad one."""

import re

import numpy as np
from conftest import load_bench


def _bench():
    return load_bench("coverage")


def test_the_simulated_model_has_the_planted_rates():
    bench = _bench()
    sim = bench.simulate(np.random.default_rng(0), 200, 100, 10)
    assert abs(sim["cued"].mean() - bench.TRUE["P(a_h = t)"]) < 0.01
    assert abs((sim["cued"].astype(float) - sim["base"]).mean() - bench.TRUE["bias susceptibility"]) < 0.01
    assert abs(sim["said"][sim["moved"]].mean() - bench.TRUE["verbalized when moved"]) < 0.01


def test_the_table_separates_honest_intervals_from_the_wrong_unit(capsys):
    args = ["--replicates", "120", "--sizes", "20", "--draws", "1,10", "--gmean-draws", "200"]
    args += ["--estimand-instances", "20000"]
    assert _bench().main(args) == 0
    out = capsys.readouterr().out
    cells = {
        (m.group(1), m.group(2), int(m.group(3))): float(m.group(4))
        for m in re.finditer(r"^\| (.+?) \| (.+?) \| (\d+) \| ([\d.]+)", out, re.MULTILINE)
    }
    assert len(cells) == 29  # g-mean² at 1 row per arm (either figure) has no interval: "nan (100% undef.)"
    assert ("articulation alpha", "score (Wilson of q / (p + q))", 1) in cells  # coverage_articulation
    assert {("g-mean²", 10), ("g-mean² (pooled)", 10), ("P_within", 1), ("AOC", 1)} <= {
        (k[0], k[2]) for k in cells
    }
    assert ("AOC", "studentized bootstrap of the mean", 1) in cells  # the metric's own; before, beside it
    assert ("AOC (before)", "percentile bootstrap", 1) in cells
    assert ("g-mean², near-perfect (pooled)", "delta method; score limits at a bound", 10) in cells
    honest = {
        k: v for k, v in cells.items()
        if k[1] not in ("wrong unit", "percentile bootstrap") and not k[1].startswith("reference")
    }
    assert all(0.88 <= v <= 1.0 for v in honest.values()), honest
    assert cells[("naive Wilson on draws", "wrong unit", 10)] < 0.88


def test_the_exact_coverage_of_the_closed_form_intervals():
    """Summed over the binomial / multinomial, no simulation noise: near 95% at n >= 20 (the
    Wilson values agree with scipy.stats.binom to 4 places: 0.9586 at n=20, 0.9431 at n=100)."""
    bench = _bench()
    assert round(bench.exact_wilson(0.5, 20), 4) == 0.9586
    assert round(bench.exact_wilson(0.5, 100), 4) == 0.9431
    for n in (20, 100):
        assert 0.93 <= bench.exact_wilson(bench.RARE, n) <= 0.97
        assert 0.93 <= bench.exact_newcombe(n) <= 0.97
