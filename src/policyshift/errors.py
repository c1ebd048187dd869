"""One exception family. Every error says what went wrong, where, and how to fix it."""

from __future__ import annotations


class PolicyshiftError(Exception):
    """Base of every error policyshift raises for bad input or a bad set-up.

    The CLI prints ``str(error)`` on one line and exits 1; the web app turns it into its JSON
    error shape. ``where`` names the file (and line) or option, ``field`` the column or parameter,
    ``fix`` what the user can do about it.
    """

    code = "error"

    def __init__(self, what: str, *, where: str | None = None, field: str | None = None,
                 value: object = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.field = field
        self.value = value
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}:")
        if self.field:
            parts.append(f"field {self.field}" + (f" = {self.value!r}:" if self.value is not None else ":"))
        parts.append(self.what)
        text = " ".join(parts)
        if self.fix:
            text += f"; {self.fix}"
        return text.replace("\n", " ")


class InputFileError(PolicyshiftError):
    """A file that cannot be read as the data set it should be."""

    code = "bad_file"


class BadRowError(PolicyshiftError):
    """A row that cannot be read (raised only with --strict; otherwise the row is quarantined)."""

    code = "bad_row"


class UsageError(PolicyshiftError):
    """A bad option or argument."""

    code = "bad_option"


class StoreError(PolicyshiftError):
    """The store is missing, locked, or not a policyshift store."""

    code = "bad_store"
