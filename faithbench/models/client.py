"""The model layer: any lm-eval LM by registry name, wrapped with faithbench's guards.

lm-eval's evaluator is single-stage and not used; its model registry and ``LM`` interface are.
The wrapper fixes the pitfalls listed in DESIGN.md: explicit generation limits on every request,
an identity for faithbench's own cache (lm-eval's CachingLM ignores which model answered), a
reachability check for servers, and errors that say what failed instead of a traceback. Each
request's typed purpose travels in the lm-eval ``Instance``'s ``doc`` (``{"about": ...}``), where
synthetic models read it and real ones ignore it. faithbench's API backends return answers that
carry their reply's token usage and thinking (``channels.Generation`` / ``Score``).
"""

from __future__ import annotations

import inspect
import json

from faithbench.api.errors import ModelError, UserError
from faithbench.api.prompts import Prompt
from faithbench.models import api
from faithbench.models.api import check_reachable, is_api
from faithbench.models.args import identity_args, redact
from faithbench.models.channels import DEFAULT_TAGS
from faithbench.models.registry import model_class

DEFAULT_MODEL = "llama-cpp"
API_MAX_LENGTH = 32768  # API servers reject over-long prompts themselves; never truncate silently


def _accepts(cls: type, arg: str) -> bool:
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False
    return arg in params


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
        self.think_tags = DEFAULT_TAGS  # how a reply marks its thinking inline (--think-tags)
        self.chat_only = False  # a chat API: messages only, no raw-text continuation of a thinking
        self._quiet: dict[str, bool] = {}

    @property
    def identity(self) -> dict:
        """What decides a model's answers: the cache key's model part (no secrets), with what the
        backend says decides them beyond its arguments (``decoding_identity``: the embedded model's
        attention kernel, whose rounding changed its texts), so older cached texts are not mixed in."""
        identity = {"model": self.name, "args": identity_args(self.args), "chat": self.apply_chat_template}
        decoding = getattr(self.lm, "decoding_identity", None)
        return identity | ({"decoding": decoding} if isinstance(decoding, dict) and decoding else {})

    @property
    def stops_after(self) -> bool:
        """Whether the backend ends a generation at its ``Generate.stop_after`` pattern (the
        embedded model and the fakes, unless made with ``full_generations=true``): only then is
        the pattern sent, and only then is it in the cache key."""
        return getattr(self.lm, "honours_stop_after", False) is True

    def describe(self) -> dict:
        return {
            "name": self.name,
            "args": redact(self.args),
            "apply_chat_template": self.apply_chat_template,
            "max_length": getattr(self.lm, "max_length", None),
            "supports_loglikelihood": self.supports_loglikelihood,
            "notes": self.notes,
        }

    def was_truncated(self, context: object) -> bool:
        """Whether the backend had to cut this prompt to fit (backends that report it)."""
        return str(context) in getattr(self.lm, "truncated", ())

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

        # (without trailing white space, which Anthropic's API refuses at the end of a prefill)
        messages = prompt.as_dicts() + [{"role": "assistant", "content": prompt.prefill.rstrip()}]
        return JsonChatStr(json.dumps(messages, ensure_ascii=False))

    def generate(self, contexts: list, gen_kwargs: dict, about: list | None = None) -> list[str]:
        """Generations for ``contexts``; ``about`` holds each request's typed purpose (or None)."""
        from lm_eval.api.instance import Instance

        about = about or [None] * len(contexts)
        instances = [
            Instance("generate_until", {"about": a}, (ctx, dict(gen_kwargs)), 0, ("faithbench", i, 1))
            for i, (ctx, a) in enumerate(zip(contexts, about, strict=True))
        ]
        return self._call("generate_until", instances)

    def loglikelihood(self, pairs: list[tuple], about: list | None = None) -> list[tuple[float, bool]]:
        from lm_eval.api.instance import Instance

        about = about or [None] * len(pairs)
        instances = [
            Instance("loglikelihood", {"about": a}, (ctx, cont), 0, ("faithbench", i, 1))
            for i, ((ctx, cont), a) in enumerate(zip(pairs, about, strict=True))
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
                params = inspect.signature(fn).parameters.values()
            except (TypeError, ValueError):
                params = []
            quiet = any(p.name == "disable_tqdm" or p.kind is p.VAR_KEYWORD for p in params)
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
    name: str | None,
    args: dict,
    apply_chat_template: bool = False,
    batch_size: int | None = None,
    role: str | None = None,
) -> ModelClient:
    """The model behind ``name``; ``role`` names a side model (observer, judge, ...) in errors, whose
    args come from that role's own flag, not --model-args."""
    name = name or DEFAULT_MODEL
    cls = model_class(name)
    kwargs = dict(args)
    if is_api(cls):
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
        given = "--model-args" if role is None else f"args of the {role} model"
        raise UserError(f"invalid {given} for '{name}': {exc}") from None
    except ImportError as exc:
        install = f" (pip install {exc.name})" if exc.name else ""
        raise ModelError(
            f"model backend '{name}' needs a package that is not installed{install}: {exc}"
        ) from None
    except Exception as exc:
        raise ModelError(f"could not load model '{name}': {type(exc).__name__}: {str(exc)[:500]}") from None
    chat_only = is_api(cls) and api.is_chat_only(cls)
    client = ModelClient(name, args, lm, apply_chat_template or chat_only)
    client.chat_only = chat_only
    if chat_only and not apply_chat_template:
        client.notes.append(
            f"{name} is a chat API: prompts are sent as chat messages (--apply-chat-template)"
        )
    client.concurrent = is_api(cls)  # HTTP backends take parallel requests; in-process ones do not
    if is_api(cls):
        api.check_api_key(name, lm)
        if api.is_faithbench_backend(cls):
            client.notes += lm.notes()
        else:  # another TemplateAPI (a plugin's, or one lm-eval adds): sent as lm-eval sends it
            client.notes.append(f"{name}: token usage and thinking fields are not read from its replies")
    return client
