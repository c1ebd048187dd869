"""The command line: parse, call one API function, render. All logic lives in the API.

Commands live in one module per stage (store_cmds, measure_cmds, detect_cmds); each registers on
``app`` with the ``command`` decorator, which turns a PolicyshiftError into one line on stderr and
exit code 1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from policyshift import __version__
from policyshift.errors import PolicyshiftError
from policyshift.render import Format, console_err


def command(fn: Callable[..., None]) -> Callable[..., None]:
    """Register a command whose PolicyshiftError becomes one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except PolicyshiftError as e:
            console_err(f"error: {e}")
            raise typer.Exit(1) from None

    return app.command()(run)


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Measure how a state's foreign policy shifts, from political event data.",
                  context_settings={"help_option_names": ["-h", "--help"]})

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="The store (a DuckDB file). Default: $POLICYSHIFT_DB, else ./policyshift.duckdb.",
    envvar="POLICYSHIFT_DB", show_default=False)]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, csv or json.")]
# DuckDB works out of core: past this limit it spills to disk (a temporary folder beside the store).
MemoryLimitOption = Annotated[str | None, typer.Option(
    help="DuckDB memory limit, e.g. 2GB; past it DuckDB spills to disk (default: 80% of RAM).")]


def open_store(db: Path | None, *, read_only: bool = True, memory_limit: str | None = None):
    from policyshift.store import Store

    return Store(db, read_only=read_only, memory_limit=memory_limit)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"policyshift {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Measure how a state's foreign policy shifts, from political event data."""


# The stages register their commands on import, in the order --help lists them (not sorted).
# isort: off
from policyshift.cli import store_cmds  # noqa: F401
from policyshift.cli import measure_cmds  # noqa: F401
from policyshift.cli import index_cmds  # noqa: F401
from policyshift.cli import detect_cmds  # noqa: F401
from policyshift.cli import scan_cmds  # noqa: F401
from policyshift.cli import case_cmds  # noqa: F401
from policyshift.cli import ledger_cmds  # noqa: F401
from policyshift.cli import report_cmds  # noqa: F401
from policyshift.cli import code_cmds  # noqa: F401
from policyshift.cli import serve_cmds  # noqa: F401
# isort: on


def main() -> None:
    app()


__all__ = ["DbOption", "Format", "FormatOption", "MemoryLimitOption", "app", "command", "main", "open_store"]
