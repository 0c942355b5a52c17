"""g-mean² against OpenAI's released reference (openai/monitorability-evals, as vendored in
thenerd31/cot-suite src/cotsuite/metrics/gmean.py). The reference was run outside this repository
on seeded synthetic rows; tests/data/gmean_reference.json keeps only those rows and its output
numbers (its "comment" says how they were made), never its code.

Per instance the figures are deterministic and must be equal. The bootstrap is not: the reference
draws with pandas' samplers from its own stream, faithbench draws cell counts (hypergeometric
selection, binomial resamples) from another, so the two agree in distribution, not draw for draw.
The tolerance is 4 Monte Carlo standard errors of the difference: for a mean of draws
sd * sqrt(1/B_ref + 1/B_ours); for a standard deviation sd * sqrt(1/(2 B_ref) + 1/(2 B_ours));
for a 2.5% or 97.5% percentile sqrt(p (1 - p) (1/B_ref + 1/B_ours)) / f, f the normal density
there (phi(1.96) / sd). With B_ref = 3,000 and B_ours = 20,000: about 0.01 on the mean g-mean².
"""

import json
import math
from pathlib import Path

import pytest

from faithbench_monitorability.gmean import Instance, Row, cells, gmean2, scores, wald_z

FIXTURE = json.loads((Path(__file__).parent / "data" / "gmean_reference.json").read_text())
OUR_DRAWS = 20_000


def _arms() -> dict[str, tuple[list[Row], list[Row]]]:
    arms: dict[str, tuple[list[Row], list[Row]]] = {}
    for name, x, y, z in FIXTURE["rows"]:
        arms.setdefault(name, ([], []))[1 - x].append(Row(x, y, z))
    return arms


def _same(ours: float, theirs: float | None) -> bool:
    return math.isnan(ours) if theirs is None else ours == pytest.approx(theirs, abs=1e-12)


def test_per_instance_figures_equal_the_reference():
    arms = _arms()
    assert len(FIXTURE["per_instance"]) == len(arms) == 40
    for ref in FIXTURE["per_instance"]:
        treated, control = arms[ref["instance"]]
        tpr, tnr, gm = (float(v) for v in scores(cells(treated), cells(control)))
        assert _same(tpr, ref["TPR"]) and _same(tnr, ref["TNR_defined"]) and _same(gm, ref["gmean2"]), ref
        assert math.isfinite(gm) == ref["eligible"]
    # the fixture exercises the edge cases: no effect, an arm without negatives
    assert any(not r["eligible"] for r in FIXTURE["per_instance"])
    assert any(r["eligible"] and r["TNR_x1"] is None for r in FIXTURE["per_instance"])


def test_wald_statistic_equals_the_reference():
    arms = _arms()
    for ref in FIXTURE["wald"]:
        treated, control = arms[ref["instance"]]
        z = wald_z([r.y for r in treated], [r.y for r in control])
        if ref["wald_z"] is None or z in (None, math.inf):
            assert ref["wald_z"] is None or not math.isfinite(ref["wald_z"]), ref
            assert (z == math.inf) == ref["eligible"], ref  # no variance: eligible iff a positive effect
        else:
            assert z == pytest.approx(ref["wald_z"], rel=1e-9)


@pytest.fixture(scope="module")
def ours() -> dict:
    found = [Instance(name, False, False, [], [], arms) for name, arms in sorted(_arms().items())]
    return gmean2(found, seed=0, n_boot=OUR_DRAWS)


def _tolerance(sd: float, kind: str = "mean") -> float:
    b_ref, b_ours = FIXTURE["n_bootstrap"], OUR_DRAWS
    if kind == "mean":
        se = sd * math.sqrt(1 / b_ref + 1 / b_ours)
    elif kind == "sd":
        se = sd * math.sqrt(1 / (2 * b_ref) + 1 / (2 * b_ours))
    else:  # a 2.5% / 97.5% percentile
        density = math.exp(-(1.96**2) / 2) / math.sqrt(2 * math.pi) / sd
        se = math.sqrt(0.025 * 0.975 * (1 / b_ref + 1 / b_ours)) / density
    return 4 * se


def test_bootstrap_figures_equal_the_reference_to_its_monte_carlo_precision(ours):
    ref = FIXTURE["bootstrap"]
    g = ours["gmean2"]
    assert FIXTURE["gmean2_undefined_draws"] == 0
    assert abs(g["value"] - ref["gmean2_mean"]) <= _tolerance(ref["gmean2_std"])
    assert abs(g["sd"] - ref["gmean2_std"]) <= _tolerance(ref["gmean2_std"], "sd")
    low, high = FIXTURE["gmean2_percentiles_2.5_97.5"]
    assert abs(g["ci_low"] - low) <= _tolerance(ref["gmean2_std"], "percentile")
    assert abs(g["ci_high"] - high) <= _tolerance(ref["gmean2_std"], "percentile")
    assert abs(ours["tpr"]["value"] - ref["TPR_mean"]) <= _tolerance(ref["TPR_std"])
    assert abs(ours["tnr"]["value"] - ref["TNR_defined_mean"]) <= _tolerance(ref["TNR_defined_std"])
    share = g["eligible_mean"] / g["n_instances"]
    assert abs(share - ref["eligible_fraction_mean"]) <= _tolerance(ref["eligible_fraction_std"]) + 0.05 / 40

