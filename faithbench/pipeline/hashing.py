"""What a task's config hash covers beyond the task itself: the prompts of the judges and passes
that read its records. With the task's own prompts (``Task.sent_prompts``), a run whose prompts
differ anywhere gets another hash, and merge refuses to mix it with the old one."""

from __future__ import annotations

from faithbench.api.judge import Judge
from faithbench.api.passes import Pass
from faithbench.api.task import Task
from faithbench.judges.stage import JUDGED


def side_prompts(task: Task, judges: list[Judge], passes: list[Pass]) -> dict[str, dict[str, str]]:
    """The prompts, by ``judge:NAME`` and ``pass:NAME``, of the selected judges that judge the
    task's cued CoTs and of the passes that want its records."""
    out: dict[str, dict[str, str]] = {}
    if any(c.kind in JUDGED and c.cue is not None for c in task.conditions):
        out.update({f"judge:{j.name}": {"prompt": j.prompt} for j in judges if j.prompt})
    out.update({f"pass:{p.name}": dict(p.prompts) for p in passes if p.prompts and p.wanted(task)})
    return out

