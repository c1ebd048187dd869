"""What became of an act: negated, refused, promised, threatened or demanded.

Negated events ("did not meet", "never attacked", "failed to lift") are not the event. A refusal
("refused to hand over", "declined to meet") is an event of its own, CAMEO's root 12 (Reject): the
refused act decides which 12x code. A promise, threat, appeal or demand whose complement names an
act ("pledged to lift sanctions", "threatened to impose sanctions") takes the code of its root
that names that act (0354, 1312) where CAMEO has one (docs/coding.md).
"""

from __future__ import annotations

from spacy.tokens import Token

# Governing verbs whose complement did not happen.
_FAILED = {"fail", "cease", "stop"}
# Verbs whose clause complement is denied: "denied that it supports the Taliban".
_DENIED = {"deny", "dismiss", "reject"}


def is_negated(verb: Token) -> bool:
    """True when the verb is negated, or is the complement of "failed to"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _FAILED:
        return True
    if (verb.dep_ == "xcomp" and verb.head is not verb and any(c.dep_ == "auxpass" for c in verb.head.children)
            and any(c.dep_ == "neg" for c in verb.head.children)):
        return True  # "is not expected to hand over": the passive's negation covers its complement
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _DENIED:
        return True
    if verb.dep_ == "conj" and verb.head is not verb:
        # "did not meet or call": the negation covers the coordinated verb too
        return any(c.dep_ == "neg" for c in verb.head.children) and not any(
            c.dep_ in ("nsubj", "aux") for c in verb.children)
    return False


def refusal_code(refused: str | None) -> str:
    """The CAMEO code of refusing the act coded ``refused`` (None: an act no pattern names)."""
    if not refused:
        return "120"
    root = refused[:2]
    if refused.startswith(("036", "04")):
        return "125"  # reject proposal to meet, discuss or negotiate
    if refused.startswith("045"):
        return "126"  # reject mediation
    if refused.startswith(("057", "037")):
        return "127"  # reject plan, agreement to settle dispute
    if refused.startswith("063") or refused == "0841":
        return "1243"  # refuse to release (hand over, extradite) persons or property
    if refused.startswith("085"):
        return "1244"  # refuse to ease economic sanctions
    if refused.startswith("087"):
        return "1246"  # refuse to de-escalate
    if root == "08":
        return "124"  # refuse to yield
    if root == "06":
        return "121"  # reject material cooperation
    if root == "07":
        return "122"  # reject request for material aid
    return "120"


# (root of the governing verb, prefix of the act's code) -> code; the longest prefix wins.
_GOVERNED: dict[str, dict[str, str]] = {
    "02": {"085": "0254", "081": "0251", "084": "0253", "087": "0256", "086": "0255", "04": "026", "036": "026",
           "045": "028", "07": "023", "071": "0231", "072": "0232", "073": "0233", "074": "0234", "06": "021",
           "061": "0211", "062": "0212", "063": "0213", "064": "0214"},
    "03": {"085": "0354", "081": "0351", "084": "0353", "087": "0356", "086": "0355", "07": "033",
           "071": "0331", "072": "0332", "073": "0333", "074": "0334", "06": "031", "061": "0311",
           "062": "0312", "063": "0313", "064": "0314", "04": "036", "036": "036", "045": "039", "05": "032", "08": "035"},
    "10": {"085": "1054", "081": "1051", "084": "1053", "063": "1053", "0874": "106", "166": "106",
           "0871": "107", "087": "1056", "086": "1055", "04": "108", "036": "108", "045": "105", "07": "103",
           "071": "1031", "072": "1032", "073": "1033", "074": "1034", "06": "101"},
    "13": {"163": "1312", "161": "1313", "162": "1311", "160": "131", "164": "134", "165": "135",
           "172": "132", "175": "137", "18": "138", "19": "138", "191": "1381", "192": "1382", "20": "1385",
           "14": "133"},
}


def governed_code(governor: str, act: str | None) -> str:
    """The code of ``governor`` (a promise, threat, appeal or demand) that names ``act``, if CAMEO
    has one; else ``governor`` unchanged."""
    table = _GOVERNED.get(governor[:2])
    if not table or not act:
        return governor
    for n in (4, 3, 2):
        if act[:n] in table:
            return table[act[:n]]
    return governor


# An act stated as an intention ("will provide aid", "is ready to withdraw", "agreed to lift the
# ban"): CAMEO codes cooperative acts (roots 04-08) under 03 (express intent to ...) and force or
# coercion (16-20) and protest (14: "said they would boycott", 133 threaten political dissent) under 13
# (threaten ...); other acts keep their code.
def intended_code(act: str) -> str:
    root = act[:2]
    if root in ("04", "05", "06", "07", "08"):
        return governed_code("030", act)
    if root in ("14", "16", "17", "18", "19", "20"):
        return governed_code("130", act)
    return act
