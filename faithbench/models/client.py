"""The model layer: any lm-eval LM by registry name, wrapped with faithbench's guards.

lm-eval's evaluator is single-stage and not used; its model registry and ``LM`` interface are.
The wrapper fixes the pitfalls listed in DESIGN.md: explicit generation limits on every request,
requests grouped by gen_kwargs (API backends apply the first request's kwargs to a whole batch),
an identity for faithbench's own cache (lm-eval's CachingLM ignores which model answered), a
reachability check for servers, and errors that say what failed instead of a traceback.
"""

from __future__ import annotations

import inspect
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from faithbench.errors import ModelError, UserError
from faithbench.prompts import Prompt

DEFAULT_MODEL = "llama-cpp"
API_MAX_LENGTH = 32768  # API servers reject over-long prompts themselves; never truncate silently
SECRET_KEY = re.compile(r"(api[_-]?key|token|secret|password|auth|credential)", re.IGNORECASE)
REDACTED = "<redacted>"
# Arguments that change throughput but never a model's answer: left out of the cache identity.
NON_IDENTITY_ARGS = {
    "batch_size",
    "num_concurrent",
    "max_retries",
    "timeout",
    "n_threads",
    "verbose",
    "device",
}


@dataclass(frozen=True)
class ModelSpec:
    """A model backend a plugin adds: an lm-eval ``LM`` subclass registered under ``name``."""

    name: str
    cls: type
    description: str = ""


def register_model_spec(spec: ModelSpec) -> None:
    import lm_eval.models  # noqa: F401  (registers lm-eval's own backends, lazily)
    from lm_eval.api.registry import model_registry

    if spec.name not in model_registry:
        model_registry.register(spec.name)(spec.cls)
    elif (current := model_registry.get(spec.name)) is not spec.cls:
        raise ValueError(f"name already taken by {current}")


WEIGHTS_ARGS = ("model", "pretrained", "model_path")  # the arg that says which weights are run


def weights_name(args: dict) -> str | None:
    """The base name of the weights a model's args point at (API model id, HF repo, GGUF file)."""
    key = next((k for k in WEIGHTS_ARGS if k in args), None)
    return None if key is None else Path(str(args[key])).name


def model_slug(name: str, args: dict) -> str:
    """A folder name for a model's results: ``name__weights``, filesystem-safe."""
    weights = weights_name(args)
    label = f"{name}__{weights}" if weights else name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label)


def parse_model_args(text: str | None) -> dict:
    """lm-eval's ``k=v,k2=v2`` syntax, with a clear error instead of a crash on bad input."""
    if not text or not text.strip():
        return {}
    from lm_eval.utils import simple_parse_args_string

    for part in text.split(","):
        if part.strip() and "=" not in part:
            raise UserError(f"invalid --model-args: '{part.strip()}' is not of the form key=value")
    try:
        return simple_parse_args_string(text)
    except Exception as exc:
        raise UserError(f"invalid --model-args '{text}': {exc}") from None


def redact(args: dict) -> dict:
    """Model args safe to write anywhere: secret-looking values replaced."""
    return {k: (REDACTED if SECRET_KEY.search(str(k)) else v) for k, v in args.items()}


def model_class(name: str) -> type:
    import lm_eval.models  # noqa: F401
    from lm_eval.api.registry import get_model, model_registry

    if name not in model_registry:  # a plugin's backend (ours too) registers when plugins load
        from faithbench.plugins import load_registry

        load_registry()

    try:
        return get_model(name)
    except ImportError as exc:
        raise UserError(
            f"model backend '{name}' needs a package that is not installed: {exc}. "
            f"Install lm-eval's extra for it (e.g. pip install 'lm-eval[hf]')."
        ) from None
    except (ValueError, KeyError) as exc:
        raise UserError(f"unknown model '{name}': {str(exc).splitlines()[0]}") from None


def _accepts(cls: type, arg: str) -> bool:
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False
    return arg in params


def _is_api(cls: type) -> bool:
    return any(c.__name__ == "TemplateAPI" for c in cls.__mro__)


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    parsed = urlparse(base_url)
    host = parsed.hostname
    if not host:
        raise UserError(f"invalid base_url '{base_url}'")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ModelError(f"cannot reach model server at {base_url}: {exc.strerror or exc}") from None


class ModelClient:
    """One loaded model, as the runner sees it: render prompts, answer batches, say who it is."""

    def __init__(self, name: str, args: dict, lm, apply_chat_template: bool = False):
        self.name = name
        self.args = args
        self.lm = lm
        self.apply_chat_template = apply_chat_template
        self.supports_loglikelihood: bool | None = getattr(lm, "supports_loglikelihood", None)
        self.notes: list[str] = []  # what the backend does differently from what was asked
        self.concurrent = False
        self._quiet: dict[str, bool] = {}

    @property
    def identity(self) -> dict:
        """What decides a model's answers: the cache key's model part (no secrets)."""
        args = {
            k: v for k, v in self.args.items() if k not in NON_IDENTITY_ARGS and not SECRET_KEY.search(str(k))
        }
        return {"model": self.name, "args": args, "chat": self.apply_chat_template}

    def describe(self) -> dict:
        return {
            "name": self.name,
            "args": redact(self.args),
            "apply_chat_template": self.apply_chat_template,
            "max_length": getattr(self.lm, "max_length", None),
            "supports_loglikelihood": self.supports_loglikelihood,
            "notes": self.notes,
        }

    def render(self, prompt: Prompt):
        """The context lm-eval receives: a chat-templated string (or JSON chat), or plain text."""
        if not self.apply_chat_template:
            return prompt.as_text()
        try:
            rendered = self.lm.apply_chat_template(prompt.as_dicts(), add_generation_prompt=True)
        except NotImplementedError:
            raise UserError(f"model '{self.name}' has no chat template; drop --apply-chat-template") from None
        if not prompt.prefill:
            return rendered
        if isinstance(rendered, str):
            return rendered + prompt.prefill
        # API chat models receive JSON messages: a prefill becomes a trailing assistant turn.
        from lm_eval.models.api_models import JsonChatStr

        messages = prompt.as_dicts() + [{"role": "assistant", "content": prompt.prefill}]
        import json

        return JsonChatStr(json.dumps(messages, ensure_ascii=False))

    def generate(self, contexts: list, gen_kwargs: dict) -> list[str]:
        from lm_eval.api.instance import Instance

        instances = [
            Instance("generate_until", {}, (ctx, dict(gen_kwargs)), 0, ("faithbench", i, 1))
            for i, ctx in enumerate(contexts)
        ]
        return self._call("generate_until", instances)

    def loglikelihood(self, pairs: list[tuple]) -> list[tuple[float, bool]]:
        from lm_eval.api.instance import Instance

        instances = [
            Instance("loglikelihood", {}, (ctx, cont), 0, ("faithbench", i, 1))
            for i, (ctx, cont) in enumerate(pairs)
        ]
        try:
            out = self._call("loglikelihood", instances)
        except NotImplementedError:
            self.supports_loglikelihood = False
            raise
        self.supports_loglikelihood = True
        return out

    def _call(self, method: str, instances: list):
        fn = getattr(self.lm, method)
        quiet = self._quiet.get(method)
        if quiet is None:  # our own bar shows progress: silence the backend's where it allows
            try:
                quiet = "disable_tqdm" in inspect.signature(fn).parameters
            except (TypeError, ValueError):
                quiet = False
            self._quiet[method] = quiet
        try:
            results = fn(instances, disable_tqdm=True) if quiet else fn(instances)
        except NotImplementedError:
            raise
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            raise ModelError(
                f"model '{self.name}' failed on {method}: {type(exc).__name__}: {str(exc)[:500]}"
            ) from exc
        if len(results) != len(instances):
            raise ModelError(
                f"model '{self.name}' returned {len(results)} results for {len(instances)} requests"
            )
        return results


def load_model(
    name: str | None, args: dict, apply_chat_template: bool = False, batch_size: int | None = None
) -> ModelClient:
    name = name or DEFAULT_MODEL
    cls = model_class(name)
    kwargs = dict(args)
    if _is_api(cls):
        # lm-eval's API defaults (max_length=2048, max_gen_toks=256) truncate CoTs silently.
        kwargs.setdefault("max_length", API_MAX_LENGTH)
        kwargs.setdefault("max_gen_toks", 1024)
        kwargs.setdefault("max_retries", 1)  # faithbench retries, honouring Retry-After (runner)
        base_url = kwargs.get("base_url")
        if base_url:
            check_reachable(str(base_url))
    extra = {"batch_size": batch_size} if batch_size and _accepts(cls, "batch_size") else {}
    try:
        lm = cls.create_from_arg_obj(kwargs, extra)
    except (UserError, KeyboardInterrupt):
        raise
    except TypeError as exc:
        raise UserError(f"invalid --model-args for '{name}': {exc}") from None
    except Exception as exc:
        raise ModelError(f"could not load model '{name}': {type(exc).__name__}: {str(exc)[:500]}") from None
    client = ModelClient(name, args, lm, apply_chat_template)
    client.concurrent = _is_api(cls)  # HTTP backends take parallel requests; in-process ones do not
    _guard_forced_temperature(client)
    return client


REASONING_MODEL = re.compile(r"^(o1|o3|o4|gpt-5)", re.IGNORECASE)


def _guard_forced_temperature(client: ModelClient) -> None:
    """lm-eval's openai-chat-completions forces temperature=1 and drops stop sequences for every
    model name containing "5" (gpt-3.5-turbo, gpt-4.5 ...). Only true reasoning models need that:
    for the rest the requested temperature and stops are put back; for those it is recorded."""
    lm = client.lm
    if not any(c.__name__ == "OpenAIChatCompletion" for c in type(lm).__mro__):
        return
    model = str(getattr(lm, "model", ""))
    if REASONING_MODEL.match(model):
        client.notes.append(f"{model}: the API accepts only temperature=1 and no stop sequences")
        return
    original = lm._create_payload

    def create_payload(messages, generate=False, gen_kwargs=None, *args, **kwargs):
        wanted = dict(gen_kwargs or {})
        payload = original(messages, generate, gen_kwargs, *args, **kwargs)
        if generate:
            payload["temperature"] = wanted.get("temperature", 0)
            until = wanted.get("until")
            if until:
                payload["stop"] = list(until)[:4]
        return payload

    lm._create_payload = create_payload
