"""Print docs/cli.md: the CLI reference, generated from each command's --help.

    python tools/cli_reference.py > docs/cli.md      (or: make docs)
"""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from policyshift.cli import app


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100", "TERM": "dumb"},
                                prog_name="policyshift")
    return result.output.rstrip()


def reference() -> str:
    parts = ["# Command-line reference", "",
             "Generated from `--help` by `tools/cli_reference.py` (`make docs`); a test fails when it is stale.",
             "", "```text", help_text(), "```", ""]
    for name in command_names():
        parts += [f"## policyshift {name}", "", "```text", help_text(name), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference())
