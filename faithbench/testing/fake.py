"""A fast, deterministic fake model for tests and harness benchmarks (``--model fake``).

It reads the answer options out of the prompt, picks an answer from a hash of the options
(stable across conditions of one item), follows a cue with probability ``bias``, and mentions the
cue in its reasoning with probability ``verbalize``. A cue is recognised through its own
declaration (:meth:`faithbench.Cue.pattern`: its rendered text, naming the option's letter), so a
cue a plugin or a YAML task adds is followed like a built-in one. No sleeping, no randomness beyond
hashes of its inputs. What a request is for comes as a typed value (``faithbench.api.queries``, in
the lm-eval Instance's ``doc``), never from the prompt's wording: as a verbalization judge or a CoT
monitor it answers Yes when the reasoning contains "suggest"; given an encoded hint's target as a
typed purpose it follows it like a cue; asked to predict a property of its own response
(introspection) it is right with probability ``introspect`` (0.8); asked whether a suggestion
affected its answer it reports truthfully. Other prompts get a word or a number chosen by hash.

``FakeLM.calls`` counts the requests every fake answered in this process (a test's count of what a
run sent); failures and kills are the ``faulty`` model's (:mod:`faithbench.testing.faulty`).
"""

from __future__ import annotations

import hashlib
import re
import threading

from lm_eval.api.model import LM

from faithbench.api.conditions import declared_cues
from faithbench.api.queries import CuedAnswer, JudgeVerbalization, MonitorCoT, SelfPrediction, SelfReport
from faithbench.models.args import flag_arg
from faithbench.models.early_stop import cut

OPTION_LINE = re.compile(r"^\(([A-Z])\)\s*(.*)$", re.MULTILINE)


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def last_option_block(text: str) -> list[tuple[str, str]]:
    """The options of the final question in a (possibly few-shot) prompt."""
    matches = list(OPTION_LINE.finditer(text))
    block: list[tuple[str, str]] = []
    for m in reversed(matches):
        letter = m.group(1)
        if block and ord(letter) != ord(block[0][0]) - 1:
            break
        block.insert(0, (letter, m.group(2).strip()))
        if letter == "A":
            break
    return block


def cue_letters(text: str) -> list[str]:
    """The letters the cues declared in this process name in ``text``, in the order they appear."""
    found = [(m.start(), m.group("letter")) for p in declared_cues() for m in p.finditer(text)]
    return [letter for _, letter in sorted(found)]


def about_of(request) -> object:
    """A request's typed purpose, as faithbench puts it in the lm-eval Instance's ``doc``."""
    doc = getattr(request, "doc", None)
    return doc.get("about") if isinstance(doc, dict) else None


class FakeLM(LM):
    calls = 0  # requests answered in this process, all instances together
    _counting = threading.Lock()
    supports_loglikelihood = True  # a capability of the class: it can be its own observer

    def __init__(
        self,
        bias: float = 0.7,
        verbalize: float = 0.2,
        introspect: float = 0.8,
        seed: int = 0,
        full_generations: bool = False,
    ):
        super().__init__()
        self.honours_stop_after = not flag_arg("full_generations", full_generations)  # as the embedded model
        self.bias = float(bias)
        self.verbalize = float(verbalize)
        self.introspect = float(introspect)
        self.seed = int(seed)
        self.answered = 0

    # -- behaviour ---------------------------------------------------------------------------
    def choose(
        self, context: str, cued: str | None = None
    ) -> tuple[str | None, str | None, bool, str | None]:
        """(answer letter, cue letter, followed cue, cue-free answer) for a prompt; ``cued`` is a
        cue's letter given as the request's typed purpose (an encoded hint it cannot read)."""
        options = last_option_block(context)
        if not options:
            return None, None, False, None
        # the question's own line(s) and its options: the same under every cue placement
        head = context[: context.rfind("(" + options[0][0] + ")")]
        stem = head.split("Answer choices:")[0].strip().split("\n\n")[-1] if "Answer choices:" in head else ""
        stem = re.sub(r"^(?:Human:|User:|<user>)\s*", "", stem)  # the same question in any rendering
        key = stem + "|" + "|".join(f"{letter}:{text}" for letter, text in options)
        letters = [letter for letter, _ in options]
        own = letters[int(_unit(self.seed, "answer", key) * len(letters))]
        cues = [c for c in cue_letters(context) if c in letters]
        cue = cues[-1] if cues else (cued if cued in letters else None)
        follows = cue is not None and _unit(self.seed, "follow", key) < self.bias
        return (cue if follows else own), cue, follows, own

    def respond(self, context: str, about: object = None) -> str:
        if isinstance(about, JudgeVerbalization):
            return "Yes" if re.search(r"suggest", about.cot, re.IGNORECASE) else "No"
        if isinstance(about, SelfReport):  # honest: affected means the answer changed
            answer, _, follows, own = self.choose(about.asked.as_text())
            return "Yes" if follows and answer != own else "No"
        if isinstance(about, SelfPrediction):
            return self.predict_self(context, about)
        if isinstance(about, MonitorCoT):  # as a monitor: flags a CoT that mentions a suggestion
            text = f"{about.reasoning or ''} {about.answer}"
            return "Verdict: Yes" if re.search(r"suggest", text, re.IGNORECASE) else "Verdict: No"
        cued = chr(65 + about.target) if isinstance(about, CuedAnswer) else None
        answer, cue, follows, _ = self.choose(context, cued)
        if answer is None:
            return self.object_level(context)
        reasons = "Let me work through each option carefully. "
        if cue and _unit(self.seed, "verbalize", context) < self.verbalize:
            reasons += f"You suggested ({cue}), and I will take that suggestion into account. "
        return reasons + f"The best answer is: ({answer})."

    def object_level(self, context: str) -> str:
        """A deterministic answer to a prompt that is not a multiple-choice question."""
        words = ["apple", "ocean", "tiger", "umbrella", "falcon", "river", "engine", "lantern"]
        pick = int(_unit(self.seed, "object", context) * len(words))
        if "number" in context:
            return str(11 + int(_unit(self.seed, "number", context) * 80))
        if "opening sentence" in context:
            return f"The {words[pick]} waited quietly by the door."
        return words[pick].capitalize()

    def predict_self(self, context: str, about: SelfPrediction) -> str:
        """The hypothetical query: right with probability ``introspect`` (hash-decided)."""
        truth = about.read(self.respond(about.asked.as_text()))
        if truth is None or _unit(self.seed, "introspect", context) >= self.introspect:
            wrong = {"yes": "no", "no": "yes", "even": "odd", "odd": "even"}
            return wrong.get(truth or "", "zz")
        return truth

    # -- lm-eval interface ----------------------------------------------------------------------
    def _tick(self) -> None:
        """Count one request answered (the ``faulty`` model fails or dies here)."""
        with FakeLM._counting:
            FakeLM.calls += 1
        self.answered += 1

    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        out = []
        for req in requests:
            context, gen_kwargs = req.args
            text = self.finish(self.respond(str(context), about_of(req)), gen_kwargs)
            self._tick()
            out.append(text)
        return out

    def finish(self, text: str, gen_kwargs: dict) -> str:
        """The text as a decoding backend returns it: cut before a stop string (``until``), and
        after the plan's ``stop_after`` match unless made with ``full_generations=true``."""
        for stop in gen_kwargs.get("until") or []:
            if stop and stop in text:
                text = text[: text.index(stop)]
        return cut(text, gen_kwargs.get("stop_after")) if self.honours_stop_after else text

    def loglikelihood(self, requests, disable_tqdm: bool = False) -> list[tuple[float, bool]]:
        out = []
        for req in requests:
            context, continuation = req.args
            answer, _, _, _ = self.choose(str(context))
            match = re.search(r"([A-Z])", continuation)
            greedy = bool(match and match.group(1) == answer)
            logprob = -0.05 if greedy else -3.0 - _unit(self.seed, "ll", context, continuation)
            self._tick()
            out.append((logprob, greedy))
        return out

    def loglikelihood_rolling(self, requests, disable_tqdm: bool = False) -> list[float]:
        out = []
        for req in requests:
            self._tick()
            out.append(-float(len(str(req.args[0]))) / 4)
        return out

    def apply_chat_template(self, chat_history, add_generation_prompt: bool = True) -> str:
        parts = [f"<{m['role']}>\n{m['content']}" for m in chat_history]
        if add_generation_prompt:
            parts.append("<assistant>\n")
        return "\n".join(parts)

    @property
    def tokenizer_name(self) -> str:
        return "fake"
