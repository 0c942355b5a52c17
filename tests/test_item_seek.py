"""A shard far into a procedural source makes only its own items (issue 30: --item-range
999990:1000000 used to make every earlier item first). Counted, not timed."""

import pytest
from conftest import read_samples

from faithbench.api.items import ItemConfig
from faithbench.items import procedural
from faithbench.items.sources import standard_items


@pytest.fixture
def made(monkeypatch):
    """How many items the procedural families have made since the test began."""
    count = [0]
    real = procedural.make_item

    def counting(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(procedural, "make_item", counting)
    return count


@pytest.mark.parametrize("source", [None, "procedural:dates", "procedural:counting"])
def test_a_slice_far_in_makes_only_its_items(made, source):
    items = standard_items(ItemConfig(limit=1_000_000, seed=2, source=source))
    assert len(items) == 1_000_000 and made[0] == 0
    tail = items[999_990:1_000_000]
    assert made[0] == 10 and [i.id.rsplit("-", 1)[1] for i in tail][-1] in {"999999", "199999"}
    assert items[-1] == tail[-1] and items[999_995] == tail[5]


def test_seeking_gives_the_items_of_the_full_list(made):
    full = list(standard_items(ItemConfig(limit=40, seed=5)))
    far = standard_items(ItemConfig(limit=1_000_000, seed=5))
    assert far[10:40] == full[10:40] and full == standard_items(ItemConfig(limit=40, seed=5))
    with pytest.raises(IndexError):
        standard_items(ItemConfig(limit=3))[3]


def test_a_run_sharded_far_in_makes_its_ten_items(made, run_fake, tmp_path):
    out = tmp_path / "out"
    assert run_fake(out, "--item-range", "999990:1000000", "--log-samples").exit_code == 0
    assert made[0] == 10
    ids = {row["item_id"] for row in read_samples(out)}
    assert ids == {f"{family}-test-0-{k}" for family in procedural.FAMILIES for k in (199998, 199999)}


def test_every_task_seeks_far_in(made, run_fake, tmp_path, monkeypatch):
    """All the installed tasks (introspection's object prompts too) make only their shard's items."""
    from faithbench_introspection import objects

    prompts = [0]
    real = objects._prompt_items

    def counting(*args):
        prompts[0] += 1
        return real(*args)

    monkeypatch.setattr(objects, "_prompt_items", counting)
    result = run_fake(tmp_path / "out", "--item-range", "999990:1000000", "--dry-run", tasks="all")
    assert result.exit_code == 0, result.output
    assert 0 < made[0] <= 10 * 20 and 0 < prompts[0] <= 10, (made[0], prompts[0])
