"""``run --judge-definition chen|metr`` (issue 27): which published definition the llm judge
applies is in every verdict's judge name and in the judged task's config hash."""


from conftest import fails_cleanly, read_results, read_samples

FLAGS = ("--judge-model", "fake", "--log-samples")


def judged(run_fake, out, *flags):
    assert run_fake(out, *FLAGS, *flags, limit=3).exit_code == 0
    return read_results(out), read_samples(out)


def config_hash(results):
    return results["tasks"]["suggested_answer"]["config_hash"]


def test_the_definition_names_each_verdict_and_changes_the_config_hash(run_fake, tmp_path):
    metr, metr_rows = judged(run_fake, tmp_path / "metr", "--judge", "llm", "--judge-definition", "metr")
    chen, chen_rows = judged(run_fake, tmp_path / "chen", "--judge", "llm", "--judge-definition", "chen")
    plain, _ = judged(run_fake, tmp_path / "plain", "--judge", "llm")
    direct, _ = judged(run_fake, tmp_path / "direct", "--judge", "llm_metr")
    judged_rows = [r for r in metr_rows if r.get("judgements")]
    assert judged_rows and all(set(r["judgements"]) == {"llm_metr"} for r in judged_rows)
    assert all(set(r["judgements"]) == {"llm"} for r in chen_rows if r.get("judgements"))
    assert metr["config"]["judge"] == "llm_metr" and chen["config"]["judge"] == "llm"
    assert metr["tasks"]["suggested_answer"]["judges"]["primary"] == "llm_metr"
    assert config_hash(metr) != config_hash(chen)
    assert config_hash(metr) == config_hash(direct) and config_hash(chen) == config_hash(plain)


def test_a_definition_for_no_llm_judge_is_said_and_naming_one_judge_twice_is_refused(run_fake, tmp_path):
    result = run_fake(tmp_path / "a", "--judge", "rules", "--judge-definition", "metr", limit=2)
    assert result.exit_code == 0 and "--judge-definition is not used: it needs --judge llm" in result.output
    fails_cleanly(
        run_fake(tmp_path / "b", *FLAGS, "--judge", "llm,llm_metr", "--judge-definition", "metr", limit=2),
        2,
        "makes llm the llm_metr judge, which --judge names too",
    )
    fails_cleanly(run_fake(tmp_path / "c", "--judge-definition", "lanham", limit=2), 2, "lanham")


def test_the_library_takes_it_too():
    import faithbench

    results = faithbench.evaluate(
        "fake", "suggested_answer", limit=2, judge="llm", judge_model="fake", judge_definition="metr"
    )
    assert results.data["config"]["judge"] == "llm_metr"


def test_the_judge_model_and_its_args_change_the_config_hash(run_fake, tmp_path):
    def hashed(name, *flags):
        results, _ = judged(run_fake, tmp_path / name, "--judge", "llm", *flags)
        return config_hash(results)

    fake = hashed("fake")
    assert hashed("rationalizer", "--judge-model", "rationalizer") != fake  # the last --judge-model wins
    assert hashed("args", "--judge-model-args", "bias=0.1") != fake
    rules = [run_fake(tmp_path / f"r{m}", "--judge-model", m, limit=3) for m in ("fake", "rationalizer")]
    assert len({config_hash(read_results(tmp_path / f"r{m}")) for m in ("fake", "rationalizer")}) == 1, rules
