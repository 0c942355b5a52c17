"""What a task's config hash covers beyond the task itself: the prompts of the judges and passes
that read its records. With the task's own prompts (``Task.sent_prompts``), a run whose prompts
differ anywhere gets another hash, and merge refuses to mix it with the old one."""

from __future__ import annotations

from collections.abc import Mapping

from faithbench.api.judge import Judge
from faithbench.api.passes import Pass
from faithbench.api.task import Task
from faithbench.judges.stage import JUDGED


def side_prompts(
    task: Task, judges: list[Judge], passes: list[Pass], judge_models: Mapping[str, object] | None = None
) -> dict[str, dict]:
    """The prompts, by ``judge:NAME`` and ``pass:NAME``, of the selected judges that judge the
    task's cued CoTs and of the passes that want its records; a judge that asks a model also
    names the models it asked (``judge_models``: each one's identity by label, no secrets), so
    the same prompt put to another judge model is another configuration."""
    out: dict[str, dict] = {}
    if any(c.kind in JUDGED and c.cue is not None for c in task.conditions):
        for j in judges:
            if j.prompt:
                asked = {"models": dict(judge_models)} if j.needs_model and judge_models else {}
                out[f"judge:{j.name}"] = {"prompt": j.prompt, **asked}
    out.update({f"pass:{p.name}": dict(p.prompts) for p in passes if p.prompts and p.wanted(task)})
    return out

