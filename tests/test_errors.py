"""User errors: one clear message, non-zero exit, no traceback."""

import os
import socket

import pytest


def assert_clean_failure(result, *phrases):
    assert result.exit_code not in (0, None)
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, result.output


def test_unknown_task(run_fake, tmp_path):
    result = run_fake(tmp_path, tasks="nope")
    assert_clean_failure(result, "unknown task 'nope'", "suggested_answer")


def test_unknown_model(run_fake, tmp_path):
    result = run_fake(tmp_path, model="no-such-model", tasks="all")
    assert_clean_failure(result, "unknown model 'no-such-model'")


def test_invalid_model_args(run_fake, tmp_path):
    result = run_fake(tmp_path, "--model-args", "bias", tasks="all")
    assert_clean_failure(result, "invalid --model-args", "bias")
    result = run_fake(tmp_path, "--model-args", "n_ctx=notanumber", model="llama-cpp", tasks="all")
    assert_clean_failure(result, "llama-cpp")


def test_unreachable_server(run_fake, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_fake(
        tmp_path,
        "--model-args",
        f"base_url=http://127.0.0.1:{port}/v1/chat/completions,model=x",
        model="local-chat-completions",
        tasks="all",
    )
    assert_clean_failure(result, "cannot reach model server", str(port))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_path_nonroot(run_fake, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_fake(locked / "x", tasks="all")
    assert_clean_failure(result, "cannot write to output path")


def test_output_path_that_is_a_file(run_fake, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_fake(blocker / "sub", tasks="all", limit=1)
    assert_clean_failure(result, "cannot write to output path")


def test_malformed_data_file_names_file_and_line(run_fake, tmp_path):
    data = tmp_path / "items.jsonl"
    data.write_text('{"question": "q", "options": ["a", "b"], "gold": 0}\n{oops\n')
    result = run_fake(tmp_path, "--data", str(data), tasks="all")
    assert_clean_failure(result, f"{data}:2", "not valid JSON")
    data.write_text('{"question": "q", "options": ["a", "b"], "gold": 5}\n')
    result = run_fake(tmp_path, "--data", str(data), tasks="all")
    assert_clean_failure(result, f"{data}:1", "gold")


def test_missing_validate_file(run_cli, tmp_path):
    assert_clean_failure(run_cli("validate", str(tmp_path / "none.json")), "no such file")


def test_chat_template_on_a_model_without_one(run_fake, tmp_path):
    result = run_fake(tmp_path, "--apply-chat-template", model="llama-cpp", tasks="all", limit=1)
    assert_clean_failure(result, "no chat template")
