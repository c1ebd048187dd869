"""The text coder command: ``policyshift code`` (docs/coding.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyshift.cli import DbOption, command, open_store
from policyshift.dates import parse_date
from policyshift.render import console_err, plural


@command
def code(input: Annotated[Path, typer.Argument(help="A .txt, .md or .html document, or a .jsonl file with one "
                                                    "document a line (id, date, text, optional source).",
                                               show_default=False, metavar="INPUT")],
         out: Annotated[Path | None, typer.Option("--out", help="Write the events here (JSONL, one a line); "
                                                     "re-running the same command continues where it stopped. "
                                                     "Default: stdout (with --ingest: INPUT.events.jsonl).",
                                                     show_default=False)] = None,
         ingest: Annotated[bool, typer.Option("--ingest", help="Also store the events in the store, with their "
                                              "documents, sentences and offsets as provenance.")] = False,
         db: DbOption = None,
         dictionaries: Annotated[Path | None, typer.Option(
             "--dictionaries", help="A directory of dictionaries: policyshift's YAML, or the field's "
                                    "TABARI/PETRARCH files (*.actors.txt, *.verbs.txt, agents, discards). "
                                    "Default: the built-in ones.", show_default=False)] = None,
         date: Annotated[str | None, typer.Option("--date", help="The date of a single document (.txt, "
                                                     ".md, .html), YYYY-MM-DD; relative dates resolve against "
                                                     "it. Default: a date printed near its top.",
                                                     show_default=False)] = None,
         carry_dates: Annotated[bool, typer.Option("--carry-dates", help="For histories rather than news: a "
                                                   "sentence without a date takes the last date the text gave with "
                                                   "its year, not the document's date.")] = False,
         source_only: Annotated[bool, typer.Option("--source-only", help="Also code acts that name no target "
                                                   "(\"Iraq threatened to retaliate\") as events with an empty "
                                                   "target, as GDELT does; the dyad measures leave them out.")] = False,
         future_intent: Annotated[bool, typer.Option("--future-intent", help="Read \"will X\" as an intention "
                                                     "to X, \"will not X\" as a refusal and \"will X unless\" as "
                                                     "a threat, instead of as the act X.")] = False,
         coreference: Annotated[bool, typer.Option("--coreference/--no-coreference", help="Follow actors "
                                                   "across a document's sentences (\"It also recalled its "
                                                   "ambassador\": the country named before).")] = True,
         similar_verbs: Annotated[bool, typer.Option("--similar-verbs", help="A verb the dictionaries leave "
                                                     "uncoded takes the code of the most similar verb pattern "
                                                     "(MiniLM embeddings; needs `make install`); its event's "
                                                     "pattern starts with ~.")] = False,
         similar_threshold: Annotated[float | None, typer.Option("--similar-threshold", help="The cosine a "
                                                                 "pattern must reach for --similar-verbs "
                                                                 "[default: 0.8].", show_default=False)] = None,
         ) -> None:
    """Code text into events (who did what to whom, when), with the sentence behind each event."""
    from policyshift.coding.dictionaries import load
    from policyshift.coding.engine import Coder
    from policyshift.coding.output import code_file
    from policyshift.errors import UsageError
    from policyshift.progress import file_progress

    day = parse_date(date, "--date")
    if ingest and out is None:
        out = input.with_name(input.name + ".events.jsonl")
    lexicon = load(dictionaries)
    if similar_threshold is not None and not similar_verbs:
        raise UsageError("--similar-threshold applies only with --similar-verbs", field="--similar-threshold",
                         value=similar_threshold, fix="add --similar-verbs, or drop --similar-threshold")
    if similar_verbs:
        from policyshift.coding.similar import DEFAULT_THRESHOLD, SimilarVerbs

        lexicon = SimilarVerbs(lexicon, DEFAULT_THRESHOLD if similar_threshold is None else similar_threshold)
    coder = Coder(lexicon, carry_dates=carry_dates, monadic=source_only, future_intent=future_intent,
                  coreference=coreference)
    with file_progress(input, enabled=out is not None) as (progress, _):
        result = code_file(input, out=out, coder=coder, date=day, progress=progress,
                           on_bad=lambda bad: console_err(f"skipped: {bad}"))
    resumed = f" ({result.resumed} done by an earlier run)" if result.resumed else ""
    console_err(f"coded {plural(result.documents, 'document')}{resumed}, {plural(result.sentences, 'sentence')}: "
                f"{plural(result.events, 'event')}" + (f" in {out}" if out else "")
                + (f"; {plural(len(result.bad), 'bad document')} skipped" if result.bad else ""))
    if result.documents == 0 and result.resumed == 0:
        raise UsageError("no document could be coded", where=str(input),
                         fix="every document was bad (see the lines above)")
    if ingest:
        from policyshift.ingest import ingest_file

        assert out is not None
        with open_store(db, read_only=False) as store:
            stored = ingest_file(store, out, dataset="coded")
        console_err(f"{out}: {stored.status}, {stored.stored} events stored, {stored.quarantined} quarantined, "
                    f"{stored.duplicates} duplicates (batch {stored.batch_id})")
