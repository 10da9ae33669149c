"""Narrow exceptions that the CLI and app turn into user messages."""
from __future__ import annotations


class IngestError(ValueError):
    """A file that cannot be ingested: names the file, the place and what is wrong.

    >>> str(IngestError("a.pdf", "page 3", "no text layer"))
    'a.pdf (page 3): no text layer'
    """

    def __init__(self, file: str, place: str | None, problem: str):
        self.file, self.place, self.problem = str(file), place, problem
        where = f" ({place})" if place else ""
        super().__init__(f"{self.file}{where}: {problem}")

    def __reduce__(self):  # picklable across process pools and dask workers
        return type(self), (self.file, self.place, self.problem)


class StoreError(RuntimeError):
    """The store cannot be opened or written (locked, read-only, full, corrupt)."""
