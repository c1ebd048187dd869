"""Ingest one file into the store: one transaction, vectorised validation, quarantine, duplicates.

Counts always reconcile: read = stored + quarantined + duplicates. A header row, and the HXL tag
row of humanitarian-data exports, are not records and are not counted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

from policyshift import __version__
from policyshift.errors import BadRowError, InputFileError
from policyshift.ingest.base import BadRow, ChunkerHints, Field, RawChunk, Reader, chunker_hints
from policyshift.ingest.registry import resolve_reader
from policyshift.ingest.source import Source
from policyshift.schema import EVENT_COLUMN_NAMES
from policyshift.store import Store

Dedupe = Literal["none", "one-a-day"]
DEDUPE_CHOICES = ("none", "one-a-day")

# Fields the pipeline fills itself rather than the reader.
_PIPELINE_FIELDS = {"dataset", "origin_file", "batch_id", "root_code", "plover"}


@dataclass
class FileResult:
    path: str
    dataset: str
    status: Literal["stored", "already ingested"]
    read: int = 0
    stored: int = 0
    quarantined: int = 0
    duplicates: int = 0
    batch_id: int | None = None
    sha256: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _checks(reader: Reader) -> list[tuple[str, str, str]]:
    """(field named in errors, SQL true when the row is bad, reason), in the order applied."""
    f = reader.fields
    out = [(c.field, c.bad_sql, c.reason) for c in reader.checks]

    def raw_of(name: str) -> str:
        return f[name].raw or name

    def present(name: str) -> str:
        raw = f[name].raw
        return f"nullif(trim({_q(raw)}), '') IS NOT NULL" if raw else "TRUE"

    out.append((raw_of("event_id"), "__event_id IS NULL", "missing record id"))
    out.append((raw_of("date"), f"NOT ({present('date')})", "missing date"))
    expect = f["date"].expect or "a date"
    out.append((raw_of("date"), "__date IS NULL",
                f"not a valid date (expected {expect}; impossible dates such as 2001-02-30 are refused)"))
    out.append((raw_of("date_precision"), "__date_precision IS NULL OR __date_precision NOT IN ('day', 'month', 'year')",
                "not a date precision (day, month or year)"))
    out.append((raw_of("cameo_code"), "__cameo_code IS NULL", "missing CAMEO event code"))
    out.append((raw_of("cameo_code"), "_cameo._c_code IS NULL",
                "unknown CAMEO event code (not in the CAMEO codebook; see docs/cameo.md)"))
    if "goldstein" in f:
        out.append((raw_of("goldstein"), f"{present('goldstein')} AND __goldstein IS NULL", "not a number"))
        out.append((raw_of("goldstein"), "__goldstein NOT BETWEEN -10 AND 10",
                    "Goldstein value out of range (-10 to 10)"))
    if "quad_class" in f:
        out.append((raw_of("quad_class"),
                    f"{present('quad_class')} AND (__quad_class IS NULL OR __quad_class NOT BETWEEN 1 AND 4)",
                    "not a quad class (1 to 4)"))
    for name, lo, hi in (("lat", -90, 90), ("lon", -180, 180), ("confidence", 0, 1)):
        if name in f:
            out.append((raw_of(name), f"{present(name)} AND __{name} IS NULL", "not a number"))
            out.append((raw_of(name), f"__{name} NOT BETWEEN {lo} AND {hi}",
                        f"out of range ({lo} to {hi})"))
    return out


def _q(identifier: str | None) -> str:
    return '"' + (identifier or "").replace('"', '""') + '"'


def _named_columns(reader: Reader) -> set[str] | None:
    """Lower-cased, every name the reader's fields and checks could use as a raw column.

    A superset (a word in a string literal is harmless); None when the SQL reaches columns in a
    way that names none of them (``*``, ``COLUMNS(...)``), and so any column could be used.
    """
    text = " ".join([fld.sql for fld in reader.fields.values()] + [c.bad_sql for c in reader.checks])
    if "*" in text or re.search(r"\bcolumns\s*\(", text, re.IGNORECASE):
        return None
    names = {w.lower() for w in re.findall(r"[^\W\d][\w$]*", text)}
    names |= {q.replace('""', '"').lower() for q in re.findall(r'"((?:[^"]|"")*)"', text)}
    names |= {fld.raw.lower() for fld in reader.fields.values() if fld.raw}
    names |= {c.field.lower() for c in reader.checks}
    return names


def _referenced_columns(reader: Reader, raw_columns: list[str]) -> list[str]:
    """The raw columns that the reader's fields and checks name, in file order.

    Staging reads only these: the rest are needed only for a bad row's raw text, which is taken
    for the few bad rows alone. DuckDB identifiers are case-insensitive, so the match is too.
    """
    named = _named_columns(reader)
    return list(raw_columns) if named is None else [c for c in raw_columns if c.lower() in named]


def _raw_text_sql(raw_columns: list[str], alias: str) -> str:
    """The row as the file had it (its values joined by the delimiter, the first parameter)."""
    return "concat_ws(?, " + ", ".join(f"coalesce({alias}.{_q(c)}, '')" for c in raw_columns) + ")"


def _stage_sql(reader: Reader, raw_columns: list[str], read_columns: list[str]) -> str:
    """SQL that turns ``raw_chunk`` into canonical rows, each with its first error or none.

    Reads ``read_columns`` of the raw columns. Parameters: check fields, check reasons, dataset,
    file, batch.
    """
    fields = reader.fields
    field_exprs = ", ".join(f"({fld.sql}) AS __{name}" for name, fld in fields.items())
    checks = _checks(reader)
    err_case = " ".join(f"WHEN {bad} THEN {i}" for i, (_, bad, _) in enumerate(checks, start=1))
    value_case = " ".join(
        f"WHEN {i} THEN CAST({_q(fld) if fld in read_columns else 'NULL'} AS VARCHAR)"
        for i, (fld, _, _) in enumerate(checks, start=1))
    read = ", ".join(["_line", *(_q(c) for c in read_columns)])
    from_cameo = {"root_code": "_c_root", "plover": "_c_plover", "quad_class": "_c_quad",
                  "goldstein": "_c_gold"}
    given = {"dataset": "?", "origin_file": "?", "batch_id": "?::INTEGER", "origin_line": "_line"}

    def col(name: str) -> str:
        if name in given:
            return given[name]
        if name in ("quad_class", "goldstein") and name in fields:
            return f"coalesce(__{name}, {from_cameo[name]})"  # the source's own value wins
        if name in from_cameo:
            return from_cameo[name]
        return f"__{name}" if name in fields else "NULL"

    canonical = ", ".join(f"{col(n)} AS {n}" for n in EVENT_COLUMN_NAMES)
    return f"""
        WITH f AS (SELECT *, {field_exprs} FROM (SELECT {read} FROM raw_chunk)),
        v AS (SELECT f.*, _cameo._c_root, _cameo._c_plover, _cameo._c_quad, _cameo._c_gold,
                     CASE {err_case} END AS _err
              -- The codebook's columns renamed, so a raw column called code, goldstein or
              -- root_code (Cline Center Phoenix, policyshift's own CSV) is not ambiguous in a check.
              FROM f LEFT JOIN (SELECT code AS _c_code, root_code AS _c_root, plover AS _c_plover,
                                       quad_class AS _c_quad, goldstein AS _c_gold FROM cameo) AS _cameo
                ON _cameo._c_code = f.__cameo_code)
        SELECT _line, _err, CASE _err {value_case} END AS _value,
               list_extract(?::VARCHAR[], _err) AS _field, list_extract(?::VARCHAR[], _err) AS _reason,
               {canonical}
        FROM v
    """


def _classify_sql(dedupe: Dedupe, *, in_file: bool = True) -> str:
    """The valid staged rows that are duplicates: of which stored or earlier event, by which rule.

    With ``one-a-day`` the new rows are listed too (dup_of NULL); the events insert takes every
    valid row that is not listed as a duplicate. With ``none``, parameters: the batch, twice; and
    ``in_file`` False says no id of the chunk hashes like one this file has stored already.
    """
    if dedupe == "none":
        # The cheap form of the same rule: an aggregate rather than a window over the chunk; the
        # store probed with the chunk's ids as the build side (IN), so it is scanned, not hashed;
        # and of the store only the earlier files' rows (their row groups come before this file's,
        # so a batch_id zone map skips the rest): this file's own ids are checked against their
        # hashes in file_ids, and looked up exactly only when one hashes alike.
        this_file = ("SELECT DISTINCT event_id FROM events WHERE batch_id = ? AND event_id IN "
                     "(SELECT event_id FROM ok SEMI JOIN file_ids ON file_ids.h = ok._h)" if in_file else
                     "SELECT event_id FROM ok WHERE ? IS NULL AND false")
        return f"""
        WITH ok AS (SELECT _line, event_id, hash(event_id) AS _h FROM staged WHERE _err IS NULL),
        repeated AS (SELECT event_id, min(_line) AS first_line FROM ok GROUP BY event_id HAVING count(*) > 1),
        id_hits AS (SELECT DISTINCT event_id FROM events WHERE batch_id < ? AND event_id IN (SELECT event_id FROM ok)
                    UNION {this_file})
        SELECT ok._line, ok.event_id, ok.event_id AS dup_of, 'same event id' AS rule
        FROM ok LEFT JOIN repeated r USING (event_id) LEFT JOIN id_hits h USING (event_id)
        WHERE h.event_id IS NOT NULL OR ok._line > r.first_line
        """
    return """
        WITH ok AS (SELECT _line, event_id, date, dataset, source_actor, target_actor, cameo_code
                    FROM staged WHERE _err IS NULL),
        id_hits AS (SELECT DISTINCT s.event_id FROM ok s JOIN events e ON e.event_id = s.event_id),
        marked AS (SELECT ok.*, h.event_id IS NOT NULL AS _stored,
                          row_number() OVER (PARTITION BY ok.event_id ORDER BY ok._line) AS _rn
                   FROM ok LEFT JOIN id_hits h USING (event_id)),
        u AS (SELECT * FROM marked WHERE NOT _stored AND _rn = 1),
        -- The store side is joined with the (small) chunk as the build side, so a large store is
        -- scanned, not hashed.
        day_hits AS (
            SELECT s._line, min(e.event_id) AS kept FROM u s JOIN events e
              ON e.date = s.date AND e.dataset = s.dataset AND e.cameo_code = s.cameo_code
             AND coalesce(e.source_actor, '') = coalesce(s.source_actor, '')
             AND coalesce(e.target_actor, '') = coalesce(s.target_actor, '')
            GROUP BY s._line),
        w AS (SELECT u._line, u.event_id, d.kept,
                     first_value(u.event_id) OVER (
                        PARTITION BY u.date, u.dataset, coalesce(u.source_actor, ''),
                                     coalesce(u.target_actor, ''), u.cameo_code
                        ORDER BY u._line) AS first_of_day
              FROM u LEFT JOIN day_hits d USING (_line))
        SELECT _line, event_id,
               CASE WHEN kept IS NOT NULL THEN kept WHEN first_of_day <> event_id THEN first_of_day END AS dup_of,
               'one-a-day' AS rule
        FROM w
        UNION ALL
        SELECT _line, event_id, event_id AS dup_of, 'same event id' AS rule FROM marked WHERE _stored OR _rn > 1
    """


def _strict_error(source: Source, bad: BadRow | None, row: tuple | None) -> BadRowError:
    if bad is not None:
        line, fld, value, reason = bad.line, bad.field, bad.value, bad.reason
    else:
        line, fld, value, reason = row  # type: ignore[misc]
    return BadRowError(reason, where=f"{source.name}:{line}", field=fld, value=value,
                       fix="--strict stops at the first bad row and stores nothing; "
                           "drop --strict to quarantine bad rows and keep the rest")


class _FileIngest:
    """The state of one file's transaction."""

    def __init__(self, store: Store, source: Source, reader: Reader, *, strict: bool, dedupe: Dedupe,
                 batch_id: int) -> None:
        self.store, self.source, self.reader = store, source, reader
        self.strict, self.dedupe, self.batch_id = strict, dedupe, batch_id
        self.con: duckdb.DuckDBPyConnection = store.con
        self.read = self.stored = self.quarantined = self.duplicates = 0
        self._stage_sql: str | None = None
        self._stage_params: list[object] = []
        self._raw_columns: list[str] | None = None
        self.hints: ChunkerHints | None = None
        self._in_order = False

    def chunk(self, chunk: RawChunk) -> None:
        self.read += chunk.records
        # With --strict the first bad row of the chunk is reported, whether the chunker or the SQL
        # found it: a rejected short line after a bad date must not hide the date.
        first_bad = min(chunk.bad, key=lambda b: b.line) if chunk.bad else None
        if chunk.bad:
            if self.strict and (chunk.table is None or chunk.table.num_rows == 0):
                raise _strict_error(self.source, first_bad, None)
            if not self.strict:
                self.con.executemany(
                    "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [[self.batch_id, self.source.name, b.line, b.field, b.value, b.reason, b.raw] for b in chunk.bad])
                self.quarantined += len(chunk.bad)
        if chunk.table is None or chunk.table.num_rows == 0:
            return
        bad, ok = self._stage(chunk.table)
        if self.strict and bad:
            first = self.con.execute(
                "SELECT _line, _field, _value, _reason FROM staged WHERE _err IS NOT NULL "
                "ORDER BY _line LIMIT 1").fetchall()[0]
            if first_bad is None or first[0] < first_bad.line:
                raise _strict_error(self.source, None, first)
        if self.strict and first_bad is not None:
            raise _strict_error(self.source, first_bad, None)
        self._store_staged(chunk.table, bad, ok)

    # The SQL reads the chunk through DuckDB's scan of a Python variable named ``raw_chunk`` in the
    # calling frame. Not con.register(): inside a transaction, DuckDB keeps every registered table
    # alive until the transaction ends, so a large file's chunks would all stay in memory.

    def _stage(self, raw_chunk: pa.Table) -> tuple[int, int]:
        """Stage the chunk; the number of bad rows and of valid rows."""
        raw_columns = [c for c in raw_chunk.column_names if c != "_line"]
        if self._stage_sql is None or raw_columns != self._raw_columns:
            checks = _checks(self.reader)
            self._raw_columns = raw_columns
            self._stage_sql = _stage_sql(self.reader, raw_columns, _referenced_columns(self.reader, raw_columns))
            self._stage_params = [[c[0] for c in checks], [c[2] for c in checks],
                                  self.reader.name, self.source.name, self.batch_id]
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {self._stage_sql}", self._stage_params)
        except duckdb.BinderException:
            # A column the reader's SQL names in a way _referenced_columns missed: read them all.
            self._stage_sql = _stage_sql(self.reader, raw_columns, raw_columns)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {self._stage_sql}", self._stage_params)
        # The joins in the staging SQL do not promise to keep the chunk's order, though they do
        # in practice; rows whose line minus row number is constant are in order (and make a
        # chunk of consecutive lines, as the fast path's are), and need no sort to be stored so.
        bad, ok, self._in_order = self.con.execute(
            "SELECT count(*) FILTER (WHERE _err IS NOT NULL), count(*) FILTER (WHERE _err IS NULL), "
            "min(_line - rowid) = max(_line - rowid) FROM staged").fetchall()[0]
        return int(bad), int(ok)

    def _store_staged(self, raw_chunk: pa.Table, bad: int, ok: int) -> None:
        con = self.con
        where = [self.batch_id, self.source.name]
        if bad:
            # The raw text: the line as the file has it where the chunker kept its block (it may
            # not have parsed every column), else the row's values joined again.
            lines = [n for (n,) in con.execute("SELECT _line FROM staged WHERE _err IS NOT NULL").fetchall()]
            line_text = pa.table({"_line": pa.array(lines, pa.int64()), "_text": pa.array(  # noqa: F841 (SQL reads it)
                [self.hints.line_text(n) if self.hints else None for n in lines], pa.string())})
            raw = _raw_text_sql(self._raw_columns or [], "r")
            self.quarantined += con.execute(
                f"INSERT INTO quarantine SELECT ?, ?, s._line, s._field, s._value, s._reason, coalesce(t._text, {raw}) "
                "FROM staged s JOIN raw_chunk r USING (_line) JOIN line_text t USING (_line) "
                "WHERE s._err IS NOT NULL ORDER BY s._line", [*where, self.reader.delimiter]).fetchall()[0][0]
        if not ok:
            return
        if self.dedupe == "none":
            in_file = con.execute("SELECT count(*) FROM staged s SEMI JOIN file_ids f ON f.h = hash(s.event_id) "
                                  "WHERE s._err IS NULL").fetchall()[0][0] > 0
            con.execute(f"CREATE OR REPLACE TEMP TABLE verdict AS {_classify_sql('none', in_file=in_file)}",
                        [self.batch_id, self.batch_id])
            con.execute("INSERT INTO file_ids SELECT hash(event_id) FROM staged WHERE _err IS NULL")
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE verdict AS {_classify_sql(self.dedupe)}")
        duplicates = con.execute(
            "INSERT INTO duplicates SELECT ?, ?, _line, event_id, dup_of, rule FROM verdict "
            "WHERE dup_of IS NOT NULL ORDER BY _line", where).fetchall()[0][0]
        self.duplicates += duplicates
        cols = ", ".join(EVENT_COLUMN_NAMES)
        if duplicates:
            insert = (f"INSERT INTO events SELECT {cols} FROM staged WHERE _err IS NULL AND _line NOT IN "
                      "(SELECT _line FROM verdict WHERE dup_of IS NOT NULL) ORDER BY _line")
        else:
            order = "" if self._in_order else " ORDER BY _line"  # a scan and a filter keep the order
            insert = f"INSERT INTO events SELECT {cols} FROM staged WHERE _err IS NULL{order}"
        self.stored += con.execute(insert).fetchall()[0][0]


def ingest_file(store: Store, path: str | Path, *, dataset: str = "auto", strict: bool = False,
                dedupe: Dedupe = "none", progress: Callable[[int, int], None] | None = None,
                on_start: Callable[[Source, Reader], None] | None = None) -> FileResult:
    """Ingest one file in one transaction. Raises InputFileError / BadRowError; stores nothing then."""
    if dedupe not in DEDUPE_CHOICES:
        raise InputFileError(f"unknown --dedupe {dedupe!r}", fix=f"use one of {', '.join(DEDUPE_CHOICES)}")
    started = time.perf_counter()
    source = Source.inspect(Path(path))
    reader = resolve_reader(dataset, source)
    earlier = store.file_with_hash(source) if store.has_file_of_size(source.size) else None
    if earlier is not None:
        return FileResult(str(path), reader.name, "already ingested", batch_id=earlier[0], sha256=earlier[1])
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.next_batch_id()
        con.execute(
            "INSERT INTO ingest_files (batch_id, path, name, sha256, bytes, dataset, dedupe, started_at, version) "
            "VALUES (?, ?, ?, '', ?, ?, ?, now(), ?)",
            [batch_id, str(Path(path).resolve()), source.name, source.size, reader.name, dedupe, __version__])
        job = _FileIngest(store, source, reader, strict=strict, dedupe=dedupe, batch_id=batch_id)
        con.execute("CREATE OR REPLACE TEMP TABLE file_ids (h UBIGINT)")  # hashes of this file's ids
        if on_start:
            on_start(source, reader)
        report = (lambda n: progress(n, source.size)) if progress else None
        with source.open(report) as stream, chunker_hints(_named_columns(reader)) as job.hints:
            for chunk in reader.chunks(source, stream):
                job.chunk(chunk)
        if job.read == 0:
            raise InputFileError("the file holds no records", where=source.name,
                                 fix="check that it is the right file; a header alone is not data")
        sha = source.content_sha256()
        same = con.execute("SELECT batch_id FROM ingest_files WHERE sha256 = ?", [sha]).fetchone()
        if same is not None:
            con.execute("ROLLBACK")
            return FileResult(str(path), reader.name, "already ingested", batch_id=same[0], sha256=sha)
        con.execute(
            "UPDATE ingest_files SET sha256 = ?, finished_at = now(), rows_read = ?, rows_stored = ?, "
            "rows_quarantined = ?, rows_duplicate = ? WHERE batch_id = ?",
            [sha, job.read, job.stored, job.quarantined, job.duplicates, batch_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for name in ("staged", "verdict", "file_ids"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return FileResult(str(path), reader.name, "stored", job.read, job.stored, job.quarantined, job.duplicates,
                      batch_id, sha, time.perf_counter() - started)


__all__ = ["DEDUPE_CHOICES", "Dedupe", "Field", "FileResult", "ingest_file"]
