"""A planted model that says as little as a reply can (FAITHBENCH_PLUGINS=withholding_model).

It thinks inline, in many sentences, and never states its answer in either channel, so every plan
asks every follow-up: an answer forced after each CoT, every truncation point read, a second turn,
each channel judged. Answers read after a reasoning name an option. Its texts differ per prompt and
per sampling seed, so nothing it says makes two later prompts the same. A dry run's bound on the
whole run must be exactly what a run of this model sends."""

import hashlib

from faithbench import ModelSpec, hookimpl
from faithbench.api.queries import AfterReasoning
from faithbench.testing.fake import FakeLM, about_of


def withheld(tag: str) -> str:
    """A thinking and a visible answer, eight sentences each, neither naming an option."""
    thinking = " ".join(f"I weigh point {i} of case {tag}." for i in range(1, 9))
    return f"<think>{thinking}</think>\n" + " ".join(f"I note fact {i} of case {tag}." for i in range(1, 9))


class WithholdingLM(FakeLM):
    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        out = []
        for req in requests:
            context, gen_kwargs = req.args
            self._tick()
            if isinstance(about_of(req), AfterReasoning):
                answer = self.choose(str(context))[0] or "A"
                out.append(f"{answer})")
                continue
            tag = hashlib.sha256(f"{context}|{gen_kwargs.get('seed')}".encode()).hexdigest()[:10]
            out.append(withheld(tag))
        return out


@hookimpl
def faithbench_models():
    return [ModelSpec("withholder", WithholdingLM, "Never states its answer (dry-run bound tests)")]
