"""What a run does outside its requests: the plugins are loaded once per command (each load costs
imports and hook calls, and prints each plugin problem), not again for the summary's arrows."""

from __future__ import annotations


def test_a_run_loads_the_plugins_once_and_warns_once(run_fake, tmp_path, monkeypatch):
    import faithbench.plugins.manager as manager

    monkeypatch.setenv("FAITHBENCH_PLUGINS", "broken_plugins")
    loads = []
    real = manager.load_registry
    monkeypatch.setattr(manager, "load_registry", lambda *a, **k: loads.append(a) or real(*a, **k))
    result = run_fake(tmp_path, limit=2)
    assert result.exit_code == 0, result.output
    assert len(loads) == 1
    warning = "warning: plugin 'broken_plugins': faithbench_metrics() raised RuntimeError: metrics hook"
    assert result.output.count(warning) == 1
    assert "bias_susceptibility ↓" in result.output  # the summary's arrows, from the run's registry
