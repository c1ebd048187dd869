"""Text coding speed: sentences per second from raw text to events, parse included.

    python bench/coding.py [--sentences 2000] [--repeat 3] [--batch-size 32]

The corpus: the gold sentences (tests/fixtures/coding/), the PETRARCH GigaWord sample sentences
(../shared/petrarch/text/, when present) and the seed article (../shared/seed/, one document per
paragraph), repeated until it holds at least ``--sentences`` sentences. Times, in this process,
best of ``--repeat`` (the contenders take turns):

- baseline: spaCy's parse alone (``nlp.pipe`` over the same texts, the same pipeline the coder
  uses: ``ner`` excluded);
- policyshift: ``Coder.code_documents`` (parse, actors, verb patterns, roles, dates, events);
- for reference, the parse with the full pipeline (``ner`` included), to show what excluding it saves.

Prints sentences per second and the ratio coder / parse alone. PETRARCH2, for comparison, codes
2-5 sentences per second with its constituency parse included (the parse is most of that time).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared"


def corpus(min_sentences: int) -> list[tuple[str, str | None]]:
    """(text, ISO date) documents; the first pass's sentence count is estimated from full stops."""
    docs: list[tuple[str, str | None]] = []
    for name in ("gold.jsonl", "gold_heldout.jsonl"):
        for line in (ROOT / "tests/fixtures/coding" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                docs.append((g["text"], g["date"]))
    giga = SHARED / "petrarch/text/GigaWord.sample.PETR.xml"
    if giga.exists():
        for m in re.finditer(r'<Sentence date\s*=\s*"(\d{8})".*?<Text>(.*?)</Text>', giga.read_text(encoding="utf-8"),
                             re.DOTALL):
            d = m.group(1)
            docs.append((" ".join(m.group(2).split()), f"{d[:4]}-{d[4:6]}-{d[6:]}"))
    for seed in sorted((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").exists() else []:
        for para in seed.read_text(encoding="utf-8").split("\n\n"):
            if len(para.split()) > 5:
                docs.append((para.strip(), "2024-07-14"))
    per_pass = sum(max(1, len(re.findall(r"[.!?](\s|$)", t))) for t, _ in docs)
    repeat = -(-min_sentences // per_pass)
    return docs * repeat


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args(argv)

    import spacy

    from policyshift.coding.dictionaries import load
    from policyshift.coding.engine import Coder, Document
    from policyshift.coding.parse import MODEL, load_nlp

    print(f"load average before: {os.getloadavg()}")
    nlp = load_nlp()
    full = spacy.load(MODEL)
    coder = Coder(load(), nlp=nlp, batch_size=args.batch_size)
    docs = corpus(args.sentences)
    texts = [t for t, _ in docs]
    from datetime import date

    documents = [Document(f"d{i}", t, date.fromisoformat(d) if d else None) for i, (t, d) in enumerate(docs)]
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    print(f"corpus: {len(docs)} documents, {sentences} sentences, {sum(len(t) for t in texts):,} characters")

    def parse_only() -> None:
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass

    def parse_full() -> None:
        for _ in full.pipe(texts, batch_size=args.batch_size):
            pass

    events = 0

    def code() -> None:
        nonlocal events
        events = sum(len(ev) for _, ev in coder.code_documents(documents))

    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, fn in (("parse (baseline)", parse_only), ("policyshift code", code), ("parse with ner", parse_full)):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall, used = time.perf_counter() - t0, time.process_time() - c0
            if wall < best.get(name, float("inf")):
                best[name], cpu[name] = wall, used
    for name, wall in best.items():
        print(f"{name:18s} {wall:7.2f} s wall  {cpu[name]:7.2f} s CPU  {sentences / wall:8.0f} sentences/s")
    ratio = best["policyshift code"] / best["parse (baseline)"]
    print(f"events coded per pass: {events}")
    print(f"ratio policyshift code / parse alone: {ratio:.2f} (the coding itself adds {100 * (ratio - 1):.0f}%)")
    print(f"excluding ner saves {100 * (1 - best['parse (baseline)'] / best['parse with ner']):.0f}% of the parse")
    rate = sentences / best["policyshift code"]
    print(f"policyshift: {rate:.0f} sentences/s parse included (target >= 300); PETRARCH2: 2-5 sentences/s, "
          f"so {rate / 5:.0f}-{rate / 2:.0f} times faster")
    print(f"load average after: {os.getloadavg()}")
    return 0 if rate >= 300 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
