"""The lm-eval behaviours faithbench relies on, pinned: an lm-eval release that changes one fails
here, by name, instead of silently breaking every API backend. Each test says what faithbench
does with the behaviour (faithbench/models/backends.py, registry.py, client.py)."""

import inspect
import json
from http.server import BaseHTTPRequestHandler

import pytest
from lm_eval.api.instance import Instance
from lm_eval.api.model import LM, TemplateLM
from lm_eval.api.registry import get_model, model_registry
from lm_eval.models.anthropic_llms import AnthropicChat as LmEvalAnthropicChat
from lm_eval.models.api_models import JsonChatStr, TemplateAPI
from lm_eval.models.openai_completions import (
    LocalChatCompletion,
    LocalCompletionsAPI,
    OpenAIChatCompletion,
    OpenAICompletionsAPI,
)
from local_server import LocalServer

from faithbench.api.errors import MalformedResponse
from faithbench.api.model_spec import ModelSpec
from faithbench.models import backends
from faithbench.models.channels import Generation, Score, reply_of
from faithbench.models.client import load_model
from faithbench.models.registry import model_class, register_model_spec

EXTENDED = {  # lm-eval's name: the lm-eval class faithbench's backend under that name extends
    "local-completions": LocalCompletionsAPI,
    "local-chat-completions": LocalChatCompletion,
    "openai-completions": OpenAICompletionsAPI,
    "openai-chat-completions": OpenAIChatCompletion,
    "anthropic-chat": LmEvalAnthropicChat,
    "anthropic-chat-completions": LmEvalAnthropicChat,
}
OFFLINE = "http://127.0.0.1:9"  # never contacted: these backends make no request when built


class EchoServer(LocalServer):
    """An OpenAI-compatible server in its real formats: chat answers the prompt upper-cased with a
    thinking field; completions answers prompts in order, or with ``echo`` scores each token of
    the prompt (-1.0 each, greedy). Usage counts words, so each reply's usage is its own."""

    def __init__(self):
        self.bodies: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.bodies.append(body)
                data = json.dumps(server.answer(body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.serve(Handler)

    @staticmethod
    def answer(body: dict) -> dict:
        if "messages" in body:
            said = body["messages"][-1]["content"]
            message = {"role": "assistant", "content": said.upper(), "reasoning_content": f"about {said}"}
            usage = {"prompt_tokens": len(said.split()), "completion_tokens": 1}
            return {"choices": [{"index": 0, "message": message}], "usage": usage}
        prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
        if body.get("echo"):
            choices = [
                {
                    "index": i,
                    "text": "",
                    "logprobs": {
                        "token_logprobs": [None] + [-1.0] * (len(p) - 1) + [-0.5],
                        "top_logprobs": [None] + [{"x": -1.0}] * (len(p) - 1) + [{"x": -0.5}],
                    },
                }
                for i, p in enumerate(prompts)
            ]
        else:
            choices = [{"index": i, "text": str(p).upper()} for i, p in enumerate(prompts)]
        words = sum(len(str(p).split()) for p in prompts)
        return {"choices": choices, "usage": {"prompt_tokens": words, "completion_tokens": len(prompts)}}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def generate(prompt: str, **gen_kwargs) -> Instance:
    """A request as ModelClient builds one (its purpose in ``doc``)."""
    return Instance("generate_until", {"about": None}, (prompt, {"max_gen_toks": 8, **gen_kwargs}), 0)


# -- the registry -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXTENDED))
def test_each_extended_name_is_lm_evals_class_there_and_faithbenchs_subclass_here(name):
    assert get_model(name) is EXTENDED[name]
    cls = model_class(name)
    assert issubclass(cls, EXTENDED[name]) and issubclass(cls, backends.ReplyChannels)
    assert {s.name for s in backends.API_BACKENDS} == set(EXTENDED)


def test_lm_eval_refuses_a_second_class_for_a_name():
    """Why faithbench keeps its extensions in its own table instead of lm-eval's registry: if lm-eval
    starts accepting this, register faithbench's backends there instead."""
    with pytest.raises(ValueError, match="already registered"):
        model_registry.register("local-chat-completions")(backends.LocalChat)
    assert model_registry.get("local-chat-completions") is LocalChatCompletion
    with pytest.raises(ValueError):
        get_model("no-such-backend")  # model_class turns this into "unknown model"


def test_a_name_is_extended_only_by_a_subclass():
    class Base(LM):
        pass

    class Extension(Base):
        pass

    register_model_spec(ModelSpec("contract-test-base", Base))  # a new name: into lm-eval's registry
    assert get_model("contract-test-base") is Base
    register_model_spec(ModelSpec("contract-test-base", Extension))
    assert model_class("contract-test-base") is Extension and get_model("contract-test-base") is Base
    with pytest.raises(ValueError, match="already taken"):
        register_model_spec(ModelSpec("local-chat-completions", Base))


def test_create_from_arg_obj_builds_the_subclass_and_drops_none():
    lm = backends.LocalChat.create_from_arg_obj({"model": "m", "base_url": OFFLINE}, {"batch_size": None})
    assert isinstance(lm, backends.LocalChat) and lm.model == "m" and lm.per_call == 1


def test_the_instance_fields_used():
    request = Instance("generate_until", {"about": "x"}, ("ctx", {"until": []}), 0, ("faithbench", 3, 1))
    assert request.args == ("ctx", {"until": []}) and request.doc == {"about": "x"}
    assert (request.task_name, request.doc_id, request.repeats) == ("faithbench", 3, 1)


# -- the methods overridden or called, and their signatures -------------------------------------------
def _params(fn) -> list[str]:
    return list(inspect.signature(fn).parameters)


def test_the_methods_faithbench_overrides_or_calls_keep_their_signatures():
    assert _params(TemplateAPI.model_call)[:4] == ["self", "messages", "generate", "gen_kwargs"]
    generate_arg = inspect.signature(TemplateAPI.model_call).parameters["generate"]
    assert generate_arg.kind is inspect.Parameter.KEYWORD_ONLY
    assert _params(TemplateAPI.create_message)[:3] == ["self", "messages", "generate"]
    assert _params(TemplateAPI.batch_loglikelihood_requests) == ["self", "chunks"]
    assert _params(TemplateAPI.generate_until) == ["self", "requests", "disable_tqdm"]
    assert _params(TemplateLM.loglikelihood) == ["self", "requests", "disable_tqdm"]
    assert "_loglikelihood_tokens" in TemplateLM.__abstractmethods__  # the scoring hook overridden
    for base in set(EXTENDED.values()):
        payload = _params(base._create_payload)
        assert payload[:4] == ["self", "messages", "generate", "gen_kwargs"] and "eos" in payload
        assert _params(base.parse_generations)[-2:] == ["outputs", "kwargs"]
    assert _params(LocalCompletionsAPI.parse_logprobs)[:3] == ["outputs", "tokens", "ctxlens"]
    assert _params(LM.create_from_arg_obj) == ["arg_dict", "additional_config"]
    for arg in ("batch_size", "seed", "max_gen_toks", "max_length", "max_retries", "tokenized_requests"):
        assert arg in _params(TemplateAPI.__init__)


def test_lm_evals_defaults_that_truncate_silently_are_overridden_for_api_backends():
    defaults = inspect.signature(TemplateAPI.__init__).parameters
    assert defaults["max_gen_toks"].default == 256 and defaults["max_length"].default == 2048
    with EchoServer() as server:
        args = {"model": "m", "base_url": f"{server.base}/chat/completions"}
        client = load_model("local-chat-completions", args)
    lm = client.lm
    assert isinstance(lm, backends.LocalChat)
    assert lm.max_length == 32768 - 1  # lm-eval keeps one token back
    assert lm.request_body(JsonChatStr('[{"role": "user", "content": "hi"}]'), {})["max_tokens"] == 1024


def test_chat_prompts_travel_as_json_chat_strings():
    lm = backends.LocalChat(model="m", base_url=OFFLINE)
    rendered = lm.apply_chat_template([{"role": "user", "content": "hi"}])
    assert isinstance(rendered, JsonChatStr)
    assert lm.create_message([rendered]) == [{"role": "user", "content": "hi"}]


def test_a_missing_key_is_a_value_error_from_the_api_key_property(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    lm = backends.OpenAIChat(model="gpt-4o", base_url=OFFLINE)
    with pytest.raises(ValueError, match="API key not found"):
        _ = lm.api_key


# -- reply parsing, on the providers' reply shapes ---------------------------------------------------
CHAT_REPLY = {
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "B", "reasoning_content": "the hint says B"},
            "logprobs": {
                "content": [
                    {"token": "B", "logprob": -0.1, "top_logprobs": [{"token": "B", "logprob": -0.1}]}
                ]
            },
        }
    ],
    "usage": {
        "prompt_tokens": 7,
        "completion_tokens": 5,
        "completion_tokens_details": {"reasoning_tokens": 4},
    },
}


def test_chat_replies_keep_usage_thinking_and_logprobs_on_the_answer():
    assert LocalChatCompletion(model="m", base_url=OFFLINE).parse_generations(CHAT_REPLY) == ["B"]
    [answer] = backends.LocalChat(model="m", base_url=OFFLINE).parse_generations(CHAT_REPLY)
    assert isinstance(answer, Generation) and answer == "B"
    reply = reply_of(answer)
    assert dict(reply.usage) == {"prompt": 7, "completion": 5, "reasoning": 4}
    assert reply.reasoning == "the hint says B" and reply.top_logprobs == {"B": -0.1}


def test_a_reply_without_choices_is_malformed_not_an_empty_answer():
    filtered = {"id": "x", "error": "filtered"}
    assert LocalChatCompletion(model="m", base_url=OFFLINE).parse_generations(filtered) == [""]
    with pytest.raises(MalformedResponse):
        backends.LocalChat(model="m", base_url=OFFLINE).parse_generations(filtered)


def test_a_reply_cut_off_while_thinking_keeps_its_thinking():
    cut = {"choices": [{"index": 0, "message": {"content": None, "reasoning_content": "hmm"}}]}
    assert LocalChatCompletion(model="m", base_url=OFFLINE).parse_generations(cut) == [None]
    [answer] = backends.LocalChat(model="m", base_url=OFFLINE).parse_generations(cut)
    assert answer == "" and reply_of(answer).reasoning == "hmm"


def test_anthropic_thinking_blocks_are_read_apart_from_the_text():
    reply = {
        "content": [{"type": "thinking", "thinking": "t1"}, {"type": "text", "text": "B"}],
        "usage": {"input_tokens": 3, "output_tokens": 9},
    }
    with pytest.raises(KeyError):  # lm-eval reads every block's "text"
        LmEvalAnthropicChat(model="claude").parse_generations(reply)
    [answer] = backends.AnthropicChat(model="claude").parse_generations(reply)
    assert answer == "B" and reply_of(answer).reasoning == "t1"
    assert dict(reply_of(answer).usage) == {"prompt": 3, "completion": 9}
    [cut] = backends.AnthropicChat(model="claude").parse_generations({"content": reply["content"][:1]})
    assert cut == "" and reply_of(cut).reasoning == "t1"


def test_a_batched_completions_reply_is_read_by_index_with_its_usage_shared():
    reply = {
        "choices": [{"index": 1, "text": "second"}, {"index": 0, "text": "first"}],
        "usage": {"prompt_tokens": 5},
    }
    assert LocalCompletionsAPI.parse_generations(reply) == ["first", "second"]
    lm = backends.LocalCompletions(model="m", base_url=OFFLINE, tokenizer_backend=None, batch_size=2)
    answers = lm.parse_generations(reply)
    assert answers == ["first", "second"] and [reply_of(a).usage["prompt"] for a in answers] == [3, 2]


def test_scores_keep_lm_evals_numbers_and_carry_usage():
    reply = EchoServer.answer({"prompt": [[1, 2, 3, 4]], "echo": True})
    plain = LocalCompletionsAPI.parse_logprobs(reply, tokens=[[1, 2, 3, 4]], ctxlens=[2])
    lm = backends.LocalCompletions(model="m", base_url=OFFLINE, tokenizer_backend=None)
    scores = lm.parse_logprobs(reply, tokens=[[1, 2, 3, 4]], ctxlens=[2])
    assert scores == plain == [(-2.0, True)] and isinstance(scores[0], Score)  # two tokens scored
    assert reply_of(scores[0]).usage["completion"] == 1


# -- the request loop and the payload -----------------------------------------------------------------
def test_lm_evals_loop_draws_a_bar_and_faithbenchs_answers_in_order_without_one(capfd):
    prompts = ["a much longer prompt than the other", "short"]  # lm-eval sends the longest first
    with EchoServer() as server:
        url = f"{server.base}/chat/completions"
        LocalChatCompletion(model="m", base_url=url).generate_until(
            [generate(JsonChatStr(json.dumps([{"role": "user", "content": p}]))) for p in prompts],
            disable_tqdm=True,
        )
        assert "Requesting API" in capfd.readouterr().err
        assert [b["messages"][0]["content"] for b in server.bodies] == prompts
        server.bodies.clear()
        lm = backends.LocalChat(model="m", base_url=url)
        answers = lm.generate_until(
            [generate(JsonChatStr(json.dumps([{"role": "user", "content": p}]))) for p in reversed(prompts)]
        )
    assert "Requesting API" not in capfd.readouterr().err
    assert answers == [p.upper() for p in reversed(prompts)]
    assert [reply_of(a).reasoning for a in answers] == [f"about {p}" for p in reversed(prompts)]
    assert [reply_of(a).usage["prompt"] for a in answers] == [len(p.split()) for p in reversed(prompts)]


def test_completions_go_batch_size_at_a_time_where_kwargs_match():
    with EchoServer() as server:
        lm = backends.LocalCompletions(
            model="m", base_url=f"{server.base}/completions", tokenizer_backend=None, batch_size=2
        )
        requests = [generate("a"), generate("b"), generate("c"), generate("d", temperature=1.0)]
        answers = lm.generate_until(requests)
    assert answers == ["A", "B", "C", "D"]
    assert [b["prompt"] for b in server.bodies] == [["a", "b"], ["c"], ["d"]]


def test_each_answer_carries_its_own_replys_details_in_the_order_asked():
    """lm-eval's loop sends the longest prompt first; a list of replies kept beside the answers
    (faithbench before 0.2) gave the short prompt the long one's usage and log-probs."""
    prompts = ["short", "a much longer prompt than the other"]
    with EchoServer() as server:
        args = {"model": "m", "base_url": f"{server.base}/completions", "tokenizer_backend": None}
        client = load_model("local-completions", args, batch_size=1)
        texts = client.generate(prompts, {"max_gen_toks": 8, "until": []})
    assert texts == [p.upper() for p in prompts]
    assert [reply_of(t).usage["prompt"] for t in texts] == [1, 7]


class WordTokenizer:
    """A tokenizer stand-in (words as ids): scoring needs context lengths, not a real vocabulary."""

    def encode(self, text):
        return [len(w) for w in str(text).split()]


def test_scoring_goes_through_the_scoring_hook_with_lm_evals_request_batching():
    with EchoServer() as server:
        lm = backends.LocalCompletions(
            model="m", base_url=f"{server.base}/completions", tokenizer_backend=None, eos_string="</s>"
        )
        with pytest.raises(NotImplementedError):
            lm.loglikelihood([Instance("loglikelihood", {}, ("a b", " c"), 0)])
        lm.tokenizer, lm.tokenizer_backend = WordTokenizer(), "tiktoken"  # a tokenizer, no download
        lm.tokenized_requests = True
        requests = [Instance("loglikelihood", {}, ("a bb", " ccc dd"), 0)]
        [score] = lm.loglikelihood(requests, disable_tqdm=True)
    assert isinstance(score, Score) and score == (-2.0, True)  # " ccc dd": two tokens at -1.0
    assert server.bodies[0]["prompt"] == [[1, 2, 3, 2]] and server.bodies[0]["echo"] is True


@pytest.mark.parametrize(
    ("model", "forced"), [("gpt-3.5-turbo", False), ("gpt-4.5-preview", False), ("o3-mini", True)]
)
def test_the_temperature_lm_eval_forces_is_kept_for_reasoning_models_only(model, forced):
    kwargs = {"temperature": 0, "until": ["\n\n"], "max_gen_toks": 8}
    messages = [{"role": "user", "content": "hi"}]
    lm_eval_lm = OpenAIChatCompletion(model=model)
    quirk = lm_eval_lm._create_payload(messages, generate=True, gen_kwargs=dict(kwargs))
    assert quirk["temperature"] == 1 and "stop" not in quirk  # lm-eval's quirk, on any name with "5"
    lm = backends.OpenAIChat(model=model)
    payload = lm._create_payload(messages, generate=True, gen_kwargs=dict(kwargs))
    assert (payload["temperature"], "stop" in payload) == ((1, False) if forced else (0, True))
    assert bool(lm.notes()) is forced
    assert lm.request_body(JsonChatStr(json.dumps(messages)), kwargs)["temperature"] == (1 if forced else 0)
