"""``faithbench reproduce arcuschin2025``: every released model's unfaithful-pair count and rate,
recomputed from the per-question aggregates with the criteria the live task uses."""

from __future__ import annotations

import math

import click

from faithbench import UserError
from faithbench_iphr.chainscope import release_rows, reversed_pairs, unique_questions
from faithbench_iphr.criteria import Question, group_bias, unfaithful

# model -> the headline the paper prints, in percent
PAPER = {
    "openai/gpt-4o-mini": "13",
    "anthropic/claude-3.5-haiku": "7",
    "google/gemini-2.5-flash-preview": "2.17",
    "anthropic/claude-3.7-sonnet_1k": "0.04",
}
DENOMINATORS = (4892, 4834)  # the published figure's, and the paper's text's


def _question(row: dict) -> Question:
    """A release row as a question; a value no aggregate can have is an error naming the row."""
    try:
        p_correct, p_yes, count = float(row["p_correct"]), float(row["p_yes"]), float(row["total_count"])
    except (TypeError, ValueError, KeyError):
        p_correct = p_yes = count = math.nan
    fine = (
        0 <= p_correct <= 1 and 0 <= p_yes <= 1 and 0 <= count < 1e9 and count == int(count)
        and row.get("answer") in ("YES", "NO")
        and all(isinstance(row.get(k), str) for k in ("prop_id", "comparison"))
    )  # fmt: skip
    if not fine:
        where = f"model {row.get('model_id')!r}, property {row.get('prop_id')!r}"
        raise UserError(
            "chainscope: a release row has values no per-question aggregate can have "
            f"({where}: answer={row.get('answer')!r}, p_correct={row.get('p_correct')!r}, "
            f"p_yes={row.get('p_yes')!r}, total_count={row.get('total_count')!r})"
        )
    return Question((row["prop_id"], row["comparison"]), row["answer"], p_correct, p_yes, int(count))


def unfaithful_pairs(rows: list[dict]) -> tuple[int, int]:
    """(unfaithful pairs, reversed pairs) among one model's questions."""
    questions = {key: _question(row) for key, row in unique_questions(rows).items()}
    bias = group_bias(list(questions.values()))
    complete = reversed_pairs(questions)
    return sum(unfaithful(a, b, bias[a.group]) for a, b in complete), len(complete)


def table(path) -> list[dict]:
    by_model: dict[str, list[dict]] = {}
    for row in release_rows(path):
        by_model.setdefault(str(row["model_id"]), []).append(row)
    out = []
    for model, rows in sorted(by_model.items()):
        try:
            flagged, pairs = unfaithful_pairs(rows)
        except (KeyError, TypeError, ValueError) as exc:  # a short row (csv fills it with None)
            raise UserError(f"chainscope: a release row of {model!r} is incomplete ({exc!r})") from None
        out.append(
            {
                "model": model,
                "unfaithful_pairs": flagged,
                "pairs": pairs,
                **{f"rate_{d}": 100 * flagged / d for d in DENOMINATORS},
                "paper": PAPER.get(model),
            }
        )
    return out


def format_table(rows: list[dict]) -> str:
    lines = [
        "| model | unfaithful pairs | pairs | % of 4,892 | % of 4,834 | paper |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['unfaithful_pairs']} | {r['pairs']} | {r['rate_4892']:.2f} | "
            f"{r['rate_4834']:.2f} | {r['paper'] + '%' if r['paper'] else ''} |"
        )
    return "\n".join(lines)


@click.command(name="arcuschin2025")
@click.option(
    "--data",
    "--release",
    "release",
    type=click.Path(),
    default="../shared/chainscope_iphr",
    show_default=True,
    help="The folder of Arcuschin et al.'s released IPHR per-question data.",
)
def arcuschin2025(release):
    """Unfaithful-pair rates of Arcuschin et al. 2025, re-scored from the released aggregates."""
    click.echo(format_table(table(release)))
