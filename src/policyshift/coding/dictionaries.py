"""policyshift's own dictionaries (YAML, in data/dictionaries/) as a Lexicon, and ``load``, which
picks the reader for a directory: TABARI/PETRARCH files go to tabari.py, anything else is ours.

Actors are matched on normalised token sequences (lower case, hyphens dropped: "al-Qaeda" and
"al Qaeda" are one key); short names in capitals ("US", "UN", "LeT") match only in capitals, so
"us" and "let" stay words; a demonym, and the capitalised words of a name, match only capitalised
("Poles", not "telegraph poles"; "Rice", not "rice").
A country, demonym or capital followed by an agent word ("Pakistani police", "Pakistan's army
chief") becomes that country's sector; an agent alone is no actor.

A misspelt country or demonym ("Ethopia", "Phillippines") matches at edit distance 1 (see ``_Fuzzy``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import import_module
from importlib.resources import files
from itertools import chain
from pathlib import Path
from typing import Any

import pycountry
import yaml
from spacy.tokens import Doc, Token

from policyshift.actors import CAMEO_NON_ISO, NAME_ALIASES
from policyshift.coding.lexicon import ActorMatch, Lexicon, VerbMatch
from policyshift.errors import InputFileError
from policyshift.roles import yaml_date

BUILTIN = "builtin"
FILES = ("actors.yaml", "agents.yaml", "verbs.yaml", "discards.yaml")
# Tokens allowed between a country and its agent word: "Pakistan 's army chief", "Pakistani Foreign
# Minister", "the Indian high commissioner".
_BRIDGE_POS = {"PART", "ADJ", "NOUN", "PROPN"}


@dataclass(frozen=True)
class _Entry:
    kind: str  # country, demonym, capital, organisation, group, person, agent, none (not an actor)
    name: str
    code: str = ""  # for everything but people
    roles: tuple[tuple[str, date | None, date | None], ...] = ()
    exact: bool = False  # match only with this capitalisation

    def code_at(self, when: date | None) -> str | None:
        if not self.roles:
            return self.code
        if when is None:
            return self.roles[-1][0]
        for code, start, end in self.roles:
            if (start is None or start <= when) and (end is None or when <= end):
                return code
        return None


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _is_exact(name: str) -> bool:
    return sum(c.isupper() for c in name) >= 2 and len(name.replace(".", "")) <= 5


def _read(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except FileNotFoundError:
        raise InputFileError(f"the dictionaries lack {name}", where=str(directory),
                             fix=f"a policyshift dictionary directory holds {', '.join(FILES)}") from None
    except yaml.YAMLError as e:
        raise InputFileError(f"is not valid YAML ({str(e).splitlines()[0]})", where=str(path),
                             fix="fix the YAML syntax") from None


class YamlLexicon:
    """Our dictionaries: actors.yaml, agents.yaml, verbs.yaml, discards.yaml in one directory."""

    def __init__(self, directory: Path, *, name: str | None = None) -> None:
        self.name = name or str(directory)
        self.directory = directory
        self._phrases: dict[str, list[_Entry]] = {}
        self._max_len = 1
        self._nonstate: set[str] = set()
        # Organisation code -> its kind ("IGO", "NGO"), as PLOVER and PETRARCH's IGO/NGO prefixes say.
        self.organisation_types: dict[str, str] = {}
        self._load_actors(_read(directory, "actors.yaml"), str(directory / "actors.yaml"))
        self._load_agents(_read(directory, "agents.yaml"), str(directory / "agents.yaml"))
        self._load_verbs(_read(directory, "verbs.yaml"), str(directory / "verbs.yaml"))
        self._discards = [_key(d) for d in (_read(directory, "discards.yaml") or [])]
        self._fuzzy = _Fuzzy(self._phrases)

    # -- loading ---------------------------------------------------------------------------------

    def _add(self, entry: _Entry) -> None:
        key = _key(entry.name)
        if not key:
            return
        bucket = self._phrases.setdefault(key, [])
        if any(e.kind == entry.kind and e.exact == entry.exact for e in bucket):
            return  # the first spelling wins (the YAML's own before ISO's)
        bucket.append(entry)
        self._max_len = max(self._max_len, len(key.split()))

    def _load_actors(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise InputFileError("actors.yaml must be a mapping", where=where, fix="see docs/coding.md")
        for name, code in (data.get("country_names") or {}).items():
            self._add(_Entry("country", str(name), str(code).upper(), exact=_is_exact(str(name))))
        for name, code in (data.get("demonyms") or {}).items():
            self._add(_Entry("demonym", str(name), str(code).upper()))
        for name, code in (data.get("capitals") or {}).items():
            self._add(_Entry("capital", str(name), str(code).upper()))
        for kind, section in (("organisation", "organisations"), ("group", "groups")):
            for i, item in enumerate(data.get(section) or [], 1):
                if not isinstance(item, dict) or not item.get("code") or not item.get("names"):
                    raise InputFileError(f"{section} entry {i} needs code and names", where=where,
                                         fix="write {code: ABC, names: [...]}")
                code = str(item["code"]).upper()
                if _country(code) is None:
                    self._nonstate.add(code)
                    if kind == "organisation":  # an organisation of no one country: IGO unless typed
                        self.organisation_types[code] = str(item.get("type") or "IGO").upper()
                for name in item["names"]:
                    self._add(_Entry(kind, str(name), code, exact=_is_exact(str(name))))
        # Phrases that hold a country's name but name no actor ("Indian Ocean", "former Soviet republic"):
        # the longest match takes them, so the country inside is not coded.
        for name in data.get("not_actors") or []:
            self._add(_Entry("none", str(name)))
        for i, item in enumerate(data.get("people") or [], 1):
            at = f"{where} people entry {i}"
            if not isinstance(item, dict) or not item.get("names") or not item.get("roles"):
                raise InputFileError("each person needs names and roles", where=at,
                                     fix="write {names: [...], roles: [{code: PAKGOV, from: ..., to: ...}]}")
            roles = tuple((str(r["code"]).upper(), yaml_date(r.get("from"), where=at, field="from"),
                           yaml_date(r.get("to"), where=at, field="to"))
                          for r in item["roles"])
            for name in item["names"]:
                self._add(_Entry("person", str(name), roles=roles, exact=_is_exact(str(name))))
        # Every ISO country after the YAML's spellings (which win on a clash).
        for name, iso3 in _iso_names().items():
            self._add(_Entry("country", name, iso3))

    def _load_agents(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise InputFileError("agents.yaml must map a sector code to its words", where=where,
                                 fix="see docs/coding.md")
        for sector, words in data.items():
            for word in words or []:
                self._add(_Entry("agent", str(word), str(sector).upper()))

    def _load_verbs(self, data: Any, where: str) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
            raise InputFileError("verbs.yaml needs a `codes` mapping of CAMEO code to patterns", where=where,
                                 fix="see docs/coding.md")
        from policyshift.cameo import lookup

        self.mutual = {str(w).lower() for w in data.get("mutual") or []}
        self.refusal = {str(w).lower() for w in data.get("refusal") or []}
        self._verbs: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        seen: dict[str, str] = {}
        for code, patterns in data["codes"].items():
            code = str(code)
            if lookup(code) is None:
                raise InputFileError("not a CAMEO code", where=where, field="code", value=code,
                                     fix="use a code of the CAMEO codebook (docs/cameo.md)")
            for pattern in patterns or []:
                words = tuple(_key(str(pattern)).split())
                if not words:
                    continue
                text = " ".join(words)
                if text in seen:
                    raise InputFileError(f"pattern {text!r} is given for both {seen[text]} and {code}",
                                         where=where, fix="keep it under one code")
                seen[text] = code
                self._verbs.setdefault(words[0], []).append((words[1:], code, text))
        for entries in self._verbs.values():
            entries.sort(key=lambda e: -len(e[0]))  # most specific first

    # -- the Lexicon protocol --------------------------------------------------------------------

    def actors(self, doc: Doc, when: date | None) -> list[ActorMatch]:
        raw = self._raw_matches(doc)
        out: list[ActorMatch] = []
        i = 0
        while i < len(raw):
            start, end, entry = raw[i]
            code = entry.code_at(when)
            if code is None or entry.kind == "none" or self._ethnic_minority(doc, start, entry):
                i += 1
                continue
            nxt = raw[i + 1] if i + 1 < len(raw) else None
            if entry.kind != "agent" and nxt is not None and nxt[2].kind == "agent" and \
                    self._bridged(doc, end, nxt[0]):
                if entry.kind in ("country", "demonym", "capital"):
                    code = code[:3] + nxt[2].code
                    # "American and British aircraft": the sector is the coordinated countries' too
                    for k in range(len(out) - 1, -1, -1):
                        prev = out[k]
                        gap = doc[prev.end:start]
                        if prev.kind not in ("country", "demonym") or len(prev.code) != 3 or not gap or \
                                not all(t.dep_ == "cc" or t.is_punct for t in gap):
                            break
                        out[k] = ActorMatch(prev.code + nxt[2].code, prev.start, prev.end, prev.kind,
                                            f"{prev.entry} + {nxt[2].name}")
                        start = prev.start
                    start = raw[i][0]
                out.append(ActorMatch(code, start, nxt[1], "agent", f"{entry.name} + {nxt[2].name}"))
                i += 2
                continue
            if entry.kind != "agent":
                out.append(ActorMatch(code, start, end, entry.kind, entry.name))
            i += 1
        return out

    def verb(self, verb: Token, when: date | None) -> VerbMatch | None:
        if verb.pos_ not in ("VERB", "AUX") and not verb.tag_.startswith("VB"):
            return None
        entries = self._verbs.get(verb.lemma_.lower()) or self._verbs.get(verb.lower_)
        if not entries:  # the lemmatiser's slips ("staged" -> "stag"): the form's own stem
            entries = next((e for stem in _stems(verb.lower_) if (e := self._verbs.get(stem))), None)
        if not entries:
            return None
        words = _governed(verb)
        for rest, code, text in entries:
            if all(w in words for w in rest):
                used = [verb.i] + [words[w] for w in rest]
                return VerbMatch(code, tuple(sorted(set(used))), text)
        return None

    def verb_patterns(self) -> Iterator[tuple[str, str, str]]:
        """Every verb pattern as (its text, its CAMEO code, its verb): "lift sanctions", "085", "lift"."""
        for entries in self._verbs.values():
            for _rest, code, text in entries:
                yield text, code, text.split()[0]

    def discard(self, doc: Doc) -> bool:
        if not self._discards:
            return False
        text = " " + _key(doc.text) + " "
        return any(f" {d} " in text for d in self._discards)

    # -- helpers -----------------------------------------------------------------------------------

    def is_nonstate(self, code: str) -> bool:
        return code in self._nonstate

    def _raw_matches(self, doc: Doc) -> list[tuple[int, int, _Entry]]:
        norms = [_key(t.text) for t in doc]
        found = []
        i, n = 0, len(doc)
        while i < n:
            if not norms[i]:
                i += 1
                continue
            hit = None
            for j in range(min(n, i + self._max_len + 2), i, -1):  # +2: hyphen tokens add no words
                key = " ".join(x for x in norms[i:j] if x)
                bucket = self._phrases.get(key)
                if not bucket:
                    continue
                text = " ".join(doc[i:j].text.replace("-", " ").split())
                entry = next((e for e in bucket if (e.exact and " ".join(e.name.replace("-", " ").split()) == text)
                              or (not e.exact and _cased_as_written(e, text))), None)
                if entry is not None:
                    hit = (i, j, entry)
                    break
            if hit is None:  # a misspelt country, tried only when nothing matched exactly
                fuzzy = self._fuzzy.match(doc[i].text, doc[i + 1].text if i + 1 < n else "")
                hit = (i, i + 1, fuzzy) if fuzzy is not None else None
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        return found

    @staticmethod
    def _ethnic_minority(doc: Doc, start: int, entry: _Entry) -> bool:
        """"ethnic Albanians", "ethnic Russians": a minority where they live, not their kin state (the
        place, if any, gives the country). Peoples of one state ("ethnic Tamils", LKAETH) stay."""
        return entry.kind == "demonym" and len(entry.code) == 3 and start > 0 and doc[start - 1].lower_ == "ethnic"

    @staticmethod
    def _bridged(doc: Doc, end: int, start: int) -> bool:
        gap = doc[end:start]
        return len(gap) <= 2 and all(t.pos_ in _BRIDGE_POS or t.tag_ == "POS" for t in gap)


class _Fuzzy:
    """Misspelt countries and demonyms: a capitalised word of 6+ letters that is no English word
    (the parse model's vocabulary and WordNet lemmas: "Angela", "Franco", "Indiana" are words)
    matches a one-word country name or demonym at edit distance 1 (one insertion, deletion,
    substitution or transposition) when every entry that close names one country ("Ethopia" ->
    Ethiopia). An exact entry always wins (it is tried first), and a word as close to two countries
    is left alone. Candidates come from a deletion-neighbourhood index: a word and an entry one edit
    apart share a form with at most one letter deleted, so a lookup is a dozen dict probes."""

    MIN_LEN = 6

    def __init__(self, phrases: dict[str, list[_Entry]]) -> None:
        self._exact = phrases
        self._index: dict[str, list[_Entry]] = {}
        for key, bucket in phrases.items():
            if len(key) < self.MIN_LEN - 1 or not key.isalpha():
                continue
            for entry in bucket:
                if entry.kind in ("country", "demonym") and not entry.exact:
                    for form in _deletions(key):
                        self._index.setdefault(form, []).append(entry)
                    break

    def match(self, text: str, after: str = "") -> _Entry | None:
        """The entry ``text`` misspells, if any; ``after`` is the next word: "Georgi Parvanov" (a
        capitalised word that is no English word) is a person's name, not a misspelt country."""
        if len(text) < self.MIN_LEN or not text[0].isupper() or not text.isalpha():
            return None
        word = text.lower()
        if word in self._exact:
            return None
        close = {id(e): e for form in _deletions(word) for e in self._index.get(form, ())
                 if _one_edit(word, _key(e.name))}
        if len({e.code for e in close.values()}) != 1:
            return None
        known = _known_words()
        if not known or word in known or (after[:1].isupper() and after.isalpha() and after.lower() not in known):
            return None  # no word list to guard with, an English word, or a first name before a surname
        entry = min(close.values(), key=lambda e: e.name)
        return _Entry(entry.kind, f"{entry.name} (fuzzy match of {text})", entry.code)


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b are one insertion, deletion, substitution or adjacent transposition apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    if a[i + 1:] == b[i + 1:]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]


@cache
def _known_words() -> frozenset[str]:
    """English words, in lower case: the parse model's vocabulary and its WordNet lemma index. Empty
    when the model is not installed."""
    import json

    import spacy
    from spacy.lookups import Lookups

    from policyshift.coding.parse import MODEL

    try:
        package = spacy.util.get_package_path(MODEL)
    except (ImportError, ModuleNotFoundError):
        return frozenset()
    words: set[str] = set()
    for path in package.glob("*/vocab/strings.json"):
        with open(path, encoding="utf-8") as f:
            words.update(w.lower() for w in json.load(f) if w.isalpha())
    for path in package.glob("*/lemmatizer/lookups"):
        index = Lookups().from_disk(path).get_table("lemma_index", {})
        words.update(w.lower() for w in chain.from_iterable(index.values()) if w.isalpha())
    return frozenset(words)


_PROPER = ("demonym", "organisation", "group", "person")


def _cased_as_written(entry: _Entry, text: str) -> bool:
    """A demonym, or a capitalised word of a name, matches only capitalised: "Poles" but not "telegraph
    poles", "Armed Islamic Group" but not "an armed Islamic group", "Rice" but not "rice"."""
    if entry.kind not in _PROPER:
        return True
    if entry.kind == "demonym":
        return text[:1].isupper()
    written = entry.name.replace("-", " ").split()
    seen = text.split()
    if len(written) != len(seen):
        return not written[0][:1].isupper() or seen[0][:1].isupper()
    return all(s[:1].isupper() or not w[:1].isupper() for w, s in zip(written, seen))


def _stems(form: str) -> list[str]:
    """Candidate base forms of an inflected verb: "staged" -> stage, "lashing" -> lash, lashe."""
    for suffix, ends in (("ied", ("y",)), ("ed", ("e", "")), ("ing", ("e", "")), ("es", ("",)), ("s", ("",))):
        if form.endswith(suffix) and len(form) > len(suffix) + 2:
            return [form[: -len(suffix)] + end for end in ends]
    return []


def _governed(verb: Token) -> dict[str, int]:
    """Words a verb pattern may use, each with its token: particles, prepositions, words of the
    object (head, compounds, modifiers), and the object of a preposition or its clause."""
    words: dict[str, int] = {}

    def add(tok: Token) -> None:
        for w in {tok.lemma_.lower(), tok.lower_}:
            words.setdefault(w.replace("-", " "), tok.i)

    for child in verb.children:
        dep = child.dep_
        if dep in ("prt", "prep", "agent", "dative"):
            add(child)
            if dep in ("prep", "dative"):
                for grand in child.children:
                    if grand.dep_ in ("pobj", "pcomp"):
                        add(grand)
                        for g2 in grand.children:
                            if g2.dep_ in ("compound", "amod", "dobj", "prt"):
                                add(g2)
        elif dep in ("dobj", "nsubjpass", "attr", "xcomp", "oprd", "acomp", "npadvmod"):
            add(child)
            for grand in child.children:
                if grand.dep_ in ("compound", "amod", "nmod", "prt", "dobj", "aux"):
                    add(grand)
    return words


@cache
def _iso_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (getattr(country, "common_name", None), country.name, getattr(country, "official_name", None)):
            if name and "," not in name and "(" not in name:
                names.setdefault(name, country.alpha_3)
    for name, iso3 in NAME_ALIASES.items():
        if "(" not in name and "," not in name:
            names.setdefault(name.title(), iso3)
    return names


def _country(code: str) -> str | None:
    from policyshift.actors import cameo_to_iso3

    return cameo_to_iso3(code[:3]) if len(code) >= 3 else None


NONSTATE_PREFIXES = ("IGO", "NGO", "IMG", "MNC")


def country_of(code: str, lexicon: Lexicon | None = None) -> str | None:
    """The country an actor code belongs to, or None for groups and IGOs ("TAL", "UNO", "IGOUNO")."""
    if not code or code.startswith(NONSTATE_PREFIXES):
        return None
    if isinstance(lexicon, YamlLexicon) and lexicon.is_nonstate(code):
        return None
    iso3 = _country(code)
    if iso3 is None and code[:3] in CAMEO_NON_ISO:
        return CAMEO_NON_ISO[code[:3]]
    return iso3


def is_tabari_directory(directory: Path) -> bool:
    """Whether ``directory`` holds the field's TABARI/PETRARCH files rather than our YAML."""
    names = [p.name.lower() for p in directory.iterdir() if p.is_file()]
    return any(n.endswith((".actors.txt", ".verbs.txt")) or "agents" in n and n.endswith(".txt")
               or "discards" in n and n.endswith(".txt") for n in names)


def builtin_directory() -> Path:
    return Path(str(files("policyshift.data") / "dictionaries"))


def load(directory: str | Path | None = None) -> Lexicon:
    """The dictionaries in ``directory`` (ours, or TABARI/PETRARCH files); the built-in ones if None."""
    if directory is None:
        return _builtin()
    path = Path(directory)
    if not path.is_dir():
        raise InputFileError("is not a directory", where=str(path),
                             fix="--dictionaries takes a directory of dictionary files")
    if is_tabari_directory(path):
        # The field's formats: their reader is imported only when asked for.
        try:
            tabari = import_module("policyshift.coding.tabari")
        except ModuleNotFoundError as e:
            if e.name != "policyshift.coding.tabari":
                raise
            raise InputFileError("holds TABARI/PETRARCH dictionaries, which this installation cannot read",
                                 where=str(path), fix="use policyshift's YAML dictionaries (omit --dictionaries)") from None
        return tabari.load(path)  # type: ignore[no-any-return]
    return YamlLexicon(path)


@cache
def _builtin() -> YamlLexicon:
    return YamlLexicon(builtin_directory(), name=BUILTIN)


def is_refusal(lexicon: Lexicon, lemma: str) -> bool:
    refusal = getattr(lexicon, "refusal", None)
    return lemma in (refusal if refusal is not None else {"refuse", "decline"})


def is_mutual(lexicon: Lexicon, lemma: str) -> bool:
    mutual = getattr(lexicon, "mutual", None)
    return lemma in (mutual if mutual is not None else {"agree", "meet", "sign", "exchange", "talk", "negotiate"})


__all__ = ["BUILTIN", "YamlLexicon", "builtin_directory", "country_of", "is_tabari_directory", "load"]
