"""Readers for event data sets, and the pipeline that stores their rows."""

from policyshift.ingest.pipeline import DEDUPE_CHOICES, FileResult, ingest_file
from policyshift.ingest.registry import READERS, dataset_choices, resolve_reader

__all__ = ["DEDUPE_CHOICES", "READERS", "FileResult", "dataset_choices", "ingest_file", "resolve_reader"]
