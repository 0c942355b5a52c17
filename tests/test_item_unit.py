"""The item is the unit (issue 28): a figure whose values come several per item counts items in
``n`` and its values in ``n_draws``, and its interval resamples whole items."""

from conftest import metric, read_results


def test_hint_articulation_counts_instances_and_their_cots(run_fake, tmp_path):
    out = tmp_path / "out"
    flags = ("--model-args", "mode=shows,legible=0.5", "--monitor-model", "planted-monitor")
    result = run_fake(out, *flags, tasks="monitor_cues", limit=12, model="hint-follower")
    assert result.exit_code == 0, result.output
    results = read_results(out, "hint-follower")
    for cue in ("sycophancy", "metadata", "grader_hacking"):
        said = metric(results, "monitor_cues", "hint_articulation", cue)
        eligible = metric(results, "monitor_cues", "gmean2", cue)["eligible"]
        assert said["n"] == eligible <= 12  # instances, the unit resampled
        assert said["n_draws"] > said["n"]  # several CoTs per instance (samples per arm)
        assert abs(said["value"] * said["n_draws"] - round(said["value"] * said["n_draws"])) < 1e-9
        assert said["ci_low"] < said["value"] < said["ci_high"]
