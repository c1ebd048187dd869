"""Our YAML dictionaries, and ``load`` choosing between them and the TABARI/PETRARCH reader."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml

from policyshift.coding.dictionaries import builtin_directory, country_of, is_tabari_directory, load
from policyshift.errors import InputFileError
from tests.conftest import shared_path


def test_verbs_cover_all_twenty_cameo_roots():
    codes = yaml.safe_load((builtin_directory() / "verbs.yaml").read_text())["codes"]
    assert {c[:2] for c in codes} == {f"{i:02d}" for i in range(1, 21)}


def test_people_resolve_by_date(coder):
    doc = coder.nlp("Musharraf met Powell.")
    at = {d: [m.code for m in coder.lexicon.actors(doc, d)] for d in (date(1999, 1, 1), date(2001, 10, 8))}
    assert at == {date(1999, 1, 1): ["PAKMIL"], date(2001, 10, 8): ["PAKGOV", "USAGOV"]}  # Powell: no role in 1999


def test_every_iso_country_is_an_actor(coder):
    import pycountry

    names = [c.name for c in pycountry.countries if "," not in c.name and "(" not in c.name][:250]
    doc = coder.nlp(". ".join(names) + ".")
    found = {m.code for m in coder.lexicon.actors(doc, date(2001, 1, 1))}
    assert len(found) >= 0.95 * len(names)


def test_short_names_in_capitals_match_only_in_capitals(coder):
    doc = coder.nlp("Let us see what the US and the UN say.")
    assert [m.code for m in coder.lexicon.actors(doc, None)] == ["USA", "UNO"]


def test_country_of_separates_states_from_groups(coder):
    assert [country_of(c, coder.lexicon) for c in ("PAKGOV", "USA", "TAL", "ALQ", "UNO", "NATO", "IGOUNO", "AFGREB")] \
        == ["PAK", "USA", None, None, None, None, None, "AFG"]


def copy_builtin(tmp_path):
    target = tmp_path / "dicts"
    shutil.copytree(builtin_directory(), target)
    return target


def test_a_directory_of_our_yaml_loads(tmp_path):
    lexicon = load(copy_builtin(tmp_path))
    assert lexicon.name.endswith("dicts")


@pytest.mark.parametrize("change, message", [
    (lambda d: (d / "verbs.yaml").write_text("codes: {'999': [explode]}"), "not a CAMEO code"),
    (lambda d: (d / "verbs.yaml").write_text("codes: {'111': [condemn], '112': [condemn]}"),
     "given for both 111 and 112"),
    (lambda d: (d / "actors.yaml").write_text("people: [{names: [X], roles: [{code: XXX, from: 'May'}]}]"), "not a date"),
    (lambda d: (d / "agents.yaml").unlink(), "lack agents.yaml"),
    (lambda d: (d / "actors.yaml").write_text("a: [b"), "not valid YAML"),
])
def test_bad_dictionaries_are_one_clear_error(tmp_path, change, message):
    directory = copy_builtin(tmp_path)
    change(directory)
    with pytest.raises(InputFileError, match=message):
        load(directory)


def test_not_a_directory_is_an_error(tmp_path):
    with pytest.raises(InputFileError, match="is not a directory"):
        load(tmp_path / "nowhere")


def test_tabari_directories_are_recognised():
    assert is_tabari_directory(shared_path("petrarch", "dictionaries"))
    assert not is_tabari_directory(builtin_directory())


def test_load_hands_tabari_directories_to_the_tabari_reader(tmp_path, monkeypatch):
    import sys
    import types

    (tmp_path / "CAMEO.verbs.txt").write_text("")
    seen = []
    stub = types.ModuleType("policyshift.coding.tabari")
    stub.load = lambda directory: seen.append(directory) or "tabari lexicon"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "policyshift.coding.tabari", stub)
    assert load(tmp_path) == "tabari lexicon" and seen == [tmp_path]
