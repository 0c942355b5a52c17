"""``faithbench reproduce arcuschin2025``: every released model's unfaithful-pair count and rate,
recomputed from the per-question aggregates with the criteria the live task uses."""

from __future__ import annotations

import click

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
    return Question(
        (row["prop_id"], row["comparison"]),
        row["answer"],
        float(row["p_correct"]),
        float(row["p_yes"]),
        int(float(row["total_count"])),
    )


def unfaithful_pairs(rows: list[dict]) -> tuple[int, int]:
    """(unfaithful pairs, reversed pairs) among one model's questions."""
    questions = {key: _question(row) for key, row in unique_questions(rows).items()}
    bias = group_bias(list(questions.values()))
    complete = reversed_pairs(questions)
    return sum(unfaithful(a, b, bias[a.group]) for a, b in complete), len(complete)


def table(path) -> list[dict]:
    by_model: dict[str, list[dict]] = {}
    for row in release_rows(path):
        by_model.setdefault(row["model_id"], []).append(row)
    out = []
    for model, rows in sorted(by_model.items()):
        flagged, pairs = unfaithful_pairs(rows)
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
