"""The readers, and how a file's data set is chosen (``--dataset auto`` sniffs the content)."""

from __future__ import annotations

from importlib import import_module

from policyshift.errors import InputFileError
from policyshift.ingest.base import Head, Reader
from policyshift.ingest.source import Source, read_head

# name -> "module:Class". Order matters for auto-detection: the most specific layouts first.
READERS: dict[str, str] = {
    "gdelt2": "policyshift.ingest.gdelt:Gdelt2Reader",
    "gdelt1": "policyshift.ingest.gdelt:Gdelt1Reader",
    "phoenix": "policyshift.ingest.phoenix:PhoenixReader",
    "icews": "policyshift.ingest.icews:IcewsReader",
    "ucdp": "policyshift.ingest.ucdp:UcdpReader",
    "acled": "policyshift.ingest.acled:AcledReader",
    "csv": "policyshift.ingest.tabular:CsvReader",
    "parquet": "policyshift.ingest.tabular:ParquetReader",
    "coded": "policyshift.ingest.coded:CodedReader",
}


def reader_class(name: str) -> type[Reader]:
    module, cls = READERS[name].split(":")
    return getattr(import_module(module), cls)  # type: ignore[no-any-return]


def dataset_choices() -> list[str]:
    return ["auto", *READERS]


def resolve_reader(dataset: str, source: Source) -> Reader:
    """The reader for ``source``: the one named, checked against the content, or the one that fits."""
    if dataset != "auto" and dataset not in READERS:
        raise InputFileError(f"unknown --dataset {dataset!r}", where=source.name,
                             fix=f"use one of {', '.join(dataset_choices())}")
    is_parquet = source.compression == "parquet"
    head = Head(read_head(source))
    if not is_parquet and not head.lines:
        raise InputFileError("the file holds no text lines", where=source.name,
                             fix="re-download it or remove it from the command")
    names = [dataset] if dataset != "auto" else list(READERS)
    reasons = []
    for name in names:
        if is_parquet != (name == "parquet"):
            reasons.append(f"{name}: it is {'a Parquet' if is_parquet else 'a text'} file")
            continue
        reader = reader_class(name)()
        why = reader.sniff(head)
        if why is None:
            return reader
        reasons.append(f"{name}: {why}")
    if dataset != "auto":
        title = reader_class(dataset).title
        raise InputFileError(f"does not look like {title}: {reasons[0].split(': ', 1)[1]}",
                             where=source.name, fix="check the file, or use --dataset auto to detect it")
    raise InputFileError("is not a data set policyshift reads (" + "; ".join(reasons) + ")",
                         where=source.name,
                         fix=f"check the file, or name its format with --dataset ({', '.join(READERS)})")
