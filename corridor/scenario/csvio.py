"""Reading CSV files the way scenario authors write them, reporting defects by file and line.

Every reader in corridor goes through :func:`read_csv_rows`, so missing files, empty files, bad
encodings, binary content and stray blank lines are handled (and reported) the same way everywhere.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import IssueLog


@dataclass(frozen=True)
class CsvRow:
    """One non-blank record and the physical line it starts on (1-based)."""

    line: int
    cells: list[str]

    @property
    def is_comment(self) -> bool:
        """Flee's convention: a record whose first cell starts with '#' is a header or comment."""
        return bool(self.cells) and self.cells[0].startswith("#")


def read_csv_rows(
    path: Path,
    rel: str,
    log: IssueLog,
    *,
    required: bool = True,
    allow_empty: bool = False,
) -> list[CsvRow] | None:
    """Return the non-blank records of ``path``, or None after logging why it cannot be read.

    ``rel`` is the name used in messages (the path relative to the scenario folder). UTF-8 with or
    without a byte-order mark is accepted, as are CRLF line ends (Windows-edited files are common in
    the Flee scenarios).
    """
    if not path.exists():
        if required:
            log.error(rel, "this file to exist")
        return None
    if not path.is_file():
        log.error(rel, "a regular file", value="a directory")
        return None
    raw = path.read_bytes()
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        log.error(rel, "text (UTF-8 CSV), not binary data", line=line, value="NUL byte")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4]
        log.error(rel, "UTF-8 encoded text", line=line, value=f"bytes {bad!r}")
        return None
    rows: list[CsvRow] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start_line = 1
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append(CsvRow(start_line, cells))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        log.error(rel, f"well-formed CSV ({exc})", line=reader.line_num)
        return None
    if not rows and not allow_empty:
        log.error(rel, "at least one data row", value="an empty file")
        return None
    return rows
