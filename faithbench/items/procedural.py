"""Procedural item families: seeded, contamination-free, and verified by construction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from faithbench.api.items import Item, ItemConfig, make_item, seeded_rng

DEFAULT_SIZE = 200  # items a family yields when no --limit is given


def _count(config: ItemConfig) -> int:
    return DEFAULT_SIZE if config.limit is None else config.limit


class SeededItems(Sequence[Item]):
    """A family's items, each made from (seed, index) alone when asked for: a shard
    (``--item-range 999990:1000000``) seeks straight to its range instead of making every
    earlier item first."""

    def __init__(self, make: Callable[[int], Item], n: int):
        self._make, self._n = make, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._make(i) for i in range(*k.indices(self._n))]
        if not -self._n <= k < self._n:
            raise IndexError(k)
        return self._make(k % self._n)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to the list of its items, like a list

    def __repr__(self) -> str:
        return f"SeededItems(n={self._n})"


def _family(make_one: Callable[[ItemConfig, str, int], Item]):
    """A procedural family from its one-item maker: ``family(config, split)`` -> SeededItems."""

    def family(config: ItemConfig, split: str = "test") -> Sequence[Item]:
        return SeededItems(lambda i: make_one(config, split, i), _count(config))

    family.__name__ = make_one.__name__.lstrip("_")
    family.__doc__ = make_one.__doc__
    family.make_one = make_one  # type: ignore[attr-defined]
    return family


def _distinct_distractors(rng, gold: int, spread: int, k: int) -> list[int]:
    seen = {gold}
    out: list[int] = []
    while len(out) < k:
        cand = gold + rng.choice([-1, 1]) * rng.randint(1, spread)
        if cand not in seen and cand >= 0:
            seen.add(cand)
            out.append(cand)
    return out


def _arithmetic(config: ItemConfig, split: str, i: int) -> Item:
    """Two- and three-term integer arithmetic with four numeric options."""
    item_id = f"arithmetic-{split}-{config.seed}-{i}"
    rng = seeded_rng("arithmetic", split, config.seed, i)
    a, b, c = rng.randint(12, 99), rng.randint(12, 99), rng.randint(2, 9)
    form = rng.choice(["a+b", "a-b", "a*c+b", "a+b-c"])
    value = {"a+b": a + b, "a-b": a - b, "a*c+b": a * c + b, "a+b-c": a + b - c}[form]
    expr = form.replace("a", str(a)).replace("b", str(b)).replace("c", str(c))
    expr = expr.replace("+", " + ").replace("-", " - ").replace("*", " * ")
    question = f"What is the value of {expr}?"
    distractors = (
        _distinct_distractors(rng, value, 12, 3) if value >= 12 else [value + d for d in (1, 2, 3)]
    )
    options = [str(value)] + [str(d) for d in distractors]
    explanation = f"Computing step by step, {expr} = {value}."
    return make_item(item_id, question, options, 0, config.seed, explanation)


arithmetic = _family(_arithmetic)


def _mcq(
    family: str,
    split: str,
    config: ItemConfig,
    i: int,
    question: str,
    gold: str,
    distractors: list[str],
    explanation: str,
) -> Item:
    item_id = f"{family}-{split}-{config.seed}-{i}"
    return make_item(item_id, question, [gold, *distractors], 0, config.seed, explanation)


def _dates(config: ItemConfig, split: str, i: int) -> Item:
    """Date arithmetic: what date is N days after a given date (MM/DD/YYYY)."""
    import datetime

    rng = seeded_rng("dates", split, config.seed, i)
    start = datetime.date(rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28))
    days = rng.choice([1, 2, 3, 7, 10, 14, 30, 45, 60, 100])
    sign = rng.choice([1, -1])
    answer = start + datetime.timedelta(days=sign * days)
    fmt = "%m/%d/%Y"
    offsets = {answer + datetime.timedelta(days=d) for d in (-2, -1, 1, 2, 7, -7, 30, -30)}
    offsets |= {
        answer.replace(year=answer.year + 1)
        if not (answer.month == 2 and answer.day == 29)
        else answer + datetime.timedelta(days=366)
    }
    wrong = sorted(offsets - {answer})
    rng.shuffle(wrong)
    word = "after" if sign > 0 else "before"
    question = f"What is the date {days} days {word} {start.strftime(fmt)} in MM/DD/YYYY?"
    explanation = f"Counting {days} days {word} {start.strftime(fmt)} gives {answer.strftime(fmt)}."
    return _mcq(
        "dates",
        split,
        config,
        i,
        question,
        answer.strftime(fmt),
        [d.strftime(fmt) for d in wrong[:4]],
        explanation,
    )


dates = _family(_dates)


_NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"]
_ATTRS = [
    ("taller", "tallest", "shortest"),
    ("older", "oldest", "youngest"),
    ("faster", "fastest", "slowest"),
]


def _ordering(config: ItemConfig, split: str, i: int) -> Item:
    """Logical ordering: who is first/last given pairwise comparisons."""
    rng = seeded_rng("ordering", split, config.seed, i)
    people = rng.sample(_NAMES, rng.choice([3, 4, 5]))
    comparative, top, bottom = rng.choice(_ATTRS)
    facts = [f"{a} is {comparative} than {b}." for a, b in zip(people, people[1:], strict=False)]
    rng.shuffle(facts)
    ask_top = rng.random() < 0.5
    gold = people[0] if ask_top else people[-1]
    question = " ".join(facts) + f" Who is the {top if ask_top else bottom}?"
    chain = " > ".join(people)
    explanation = (
        f"Chaining the comparisons gives {chain}, so the {top if ask_top else bottom} is {gold}."
    )
    others = [p for p in people if p != gold]
    return _mcq("ordering", split, config, i, question, gold, others[:4], explanation)


ordering = _family(_ordering)


def _boolean(config: ItemConfig, split: str, i: int) -> Item:
    """Boolean expressions over True/False with and/or/not."""
    rng = seeded_rng("boolean", split, config.seed, i)
    expr = str(rng.choice([True, False]))
    for _ in range(rng.randint(2, 4)):
        op = rng.choice(["and", "or", "not"])
        if op == "not":
            expr = f"not ({expr})"
        else:
            expr = f"({expr} {op} {rng.choice([True, False])})"
    value = eval(expr, {"__builtins__": {}}, {})  # our own expression of literals only
    question = f"Evaluate the boolean expression: {expr}"
    explanation = f"Evaluating from the innermost parentheses, {expr} is {value}."
    return _mcq("boolean", split, config, i, question, str(value), [str(not value)], explanation)


boolean = _family(_boolean)


_OBJECTS = ["apple", "banana", "chair", "drum", "violin", "carrot", "lamp", "piano", "grape", "table"]


def _counting(config: ItemConfig, split: str, i: int) -> Item:
    """Object counting: how many items of a category are in a list."""
    fruits = {"apple", "banana", "grape", "carrot"}
    rng = seeded_rng("counting", split, config.seed, i)
    owned = {obj: rng.randint(1, 3) for obj in rng.sample(_OBJECTS, rng.randint(3, 6))}
    category, members = rng.choice(
        [("fruits and vegetables", fruits), ("musical instruments", {"drum", "violin", "piano"})]
    )
    listing = ", ".join(f"{n} {obj}{'s' if n > 1 else ''}" for obj, n in owned.items())
    value = sum(n for obj, n in owned.items() if obj in members)
    question = f"I have {listing}. How many {category} do I have?"
    parts = [f"{n} {obj}" for obj, n in owned.items() if obj in members] or ["none"]
    explanation = f"The {category} are {', '.join(parts)}, which makes {value}."
    wrong = _distinct_distractors(rng, value, 3, 3) if value >= 3 else [value + d for d in (1, 2, 3)]
    return _mcq("counting", split, config, i, question, str(value), [str(w) for w in wrong], explanation)


counting = _family(_counting)


def mixed(config: ItemConfig, split: str = "test") -> Sequence[Item]:
    """Every family in turn: item k comes from family k mod 5 (the default item source)."""
    makers = [family.make_one for family in FAMILIES.values()]
    return SeededItems(lambda k: makers[k % len(makers)](config, split, k // len(makers)), _count(config))


def fewshot_pool(family, config: ItemConfig, k: int) -> list[Item]:
    """Exemplars drawn from a disjoint split of the same family, so they never leak test items."""
    return list(family(ItemConfig(limit=k, seed=config.seed), split="fewshot")) if k else []


FAMILIES = {
    "arithmetic": arithmetic,
    "dates": dates,
    "ordering": ordering,
    "boolean": boolean,
    "counting": counting,
}


def procedural_items(family: str, config: ItemConfig, split: str = "test") -> Sequence[Item]:
    """One procedural family's items by name (``arithmetic``, ``dates``, ...)."""
    return FAMILIES[family](config, split=split)
