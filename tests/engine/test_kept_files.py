"""Files kept between grading runs (engine/kept_files.py): made once per recipe, copied after that, made
again when the recipe changes or the kept file was changed, and never shared with what a grade was given."""
from __future__ import annotations

import json
import os

import pytest

from graders.engine import kept_files


class Maker:
    """Writes ``content`` and returns a dict of floats that must come back exactly."""

    def __init__(self, content: bytes = b"rows" * 1000):
        self.content, self.calls = content, 0

    def __call__(self, path: str) -> dict:
        self.calls += 1
        with open(path, "wb") as fh:
            fh.write(self.content)
        return {"sums": [[1, 2, 0.1 + 0.2], [3, 4, 1e-300]]}


def test_a_file_is_made_once_per_recipe_then_copied_with_what_its_maker_returned(home, tmp_path):
    make = Maker()
    first = kept_files.kept(tmp_path / "big.parquet", "m-big", ("r", 1), make)
    other_dir = tmp_path / "second"
    other_dir.mkdir()
    second = kept_files.kept(other_dir / "big.parquet", "m-big", ("r", 1), make)
    assert make.calls == 1
    assert second == first == {"sums": [[1, 2, 0.1 + 0.2], [3, 4, 1e-300]]}   # floats round-trip exactly
    assert (other_dir / "big.parquet").read_bytes() == make.content
    assert not list(other_dir.glob("*.part"))
    kept = [p for p in (home / kept_files.FOLDER).iterdir() if p.suffix == ".parquet"]
    assert len(kept) == 1 and kept[0].read_bytes() == make.content


def test_a_changed_recipe_makes_the_file_again_and_drops_the_old_one(home, tmp_path):
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r", 1), Maker(b"old"))
    make = Maker(b"new")
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r", 2), make)
    assert make.calls == 1 and (tmp_path / "big.parquet").read_bytes() == b"new"
    names = sorted(p.name for p in (home / kept_files.FOLDER).iterdir())
    assert len(names) == 2 and all(n.startswith("m-big-") for n in names)     # one file and its record
    other = Maker(b"other")     # another file, whose name starts with the first one's, keeps its own
    kept_files.kept(tmp_path / "big.parquet", "m-big-2", ("r", 2), other)
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r", 3), make)      # a new recipe of m-big ...
    kept_files.kept(tmp_path / "big.parquet", "m-big-2", ("r", 2), other)   # ... leaves m-big-2 kept
    assert make.calls == 2 and other.calls == 1 and len(list((home / kept_files.FOLDER).iterdir())) == 4


def test_changing_the_given_copy_leaves_the_kept_file_alone(home, tmp_path):
    make = Maker()
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)
    with open(tmp_path / "big.parquet", "ab") as fh:         # learner code run without the box
        fh.write(b"spoiled")
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)
    assert make.calls == 1 and (tmp_path / "big.parquet").read_bytes() == make.content


@pytest.mark.parametrize("damage", ["truncate", "touch", "record"])
def test_a_kept_file_changed_since_it_was_kept_is_made_again(home, tmp_path, damage):
    make = Maker()
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)
    (keep,) = [p for p in (home / kept_files.FOLDER).iterdir() if p.suffix == ".parquet"]
    if damage == "truncate":
        os.truncate(keep, 10)
    elif damage == "touch":
        st = os.stat(keep)
        os.utime(keep, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    else:
        keep.with_name(keep.name + ".json").write_text("{not json")
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)
    assert make.calls == 2 and (tmp_path / "big.parquet").read_bytes() == make.content
    record = json.loads(keep.with_name(keep.name + ".json").read_text())
    assert record["stamp"][0] == len(make.content)
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)        # and is sound again
    assert make.calls == 2


def test_a_home_that_cannot_be_written_still_gives_the_file(unwritable_home, tmp_path):
    make = Maker()
    assert kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)["sums"][0][:2] == [1, 2]
    kept_files.kept(tmp_path / "big.parquet", "m-big", ("r",), make)
    assert make.calls == 2 and (tmp_path / "big.parquet").read_bytes() == make.content


def test_the_code_digest_follows_the_source(tmp_path):
    source = tmp_path / "gen.py"
    source.write_text("SEED = 1\n")
    before = kept_files.code_digest(source)
    source.write_text("SEED = 2\n")
    assert kept_files.code_digest(source) != before

