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
    one_line_records: bool = False,
) -> list[CsvRow] | None:
    """Return the non-blank records of ``path``, or None after logging why it cannot be read.

    ``rel`` is the name used in messages (the path relative to the scenario folder). UTF-8 with or
    without a byte-order mark is accepted, as are CRLF line ends (Windows-edited files are common in
    the Flee scenarios).

    ``one_line_records`` rejects a quoted cell that runs over a line break. Flee's files never
    need one, and the usual cause is a quote left open, which silently swallows the following
    lines into one cell; the message names the line the quote opens on instead.
    """
    if not path.exists():
        if required:
            log.error(rel, "this file to exist")
        return None
    if not path.is_file():
        log.error(rel, "a regular file", value="a directory")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.error(rel, f"a readable file ({exc.strerror})")
        return None
    text = decode_text(raw, rel, log)
    if text is None:
        return None
    rows: list[CsvRow] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start_line = 1
    try:
        for cells in reader:
            if one_line_records and reader.line_num > start_line:
                log.error(
                    rel,
                    "each record on one line (a quote opened on this line is closed on line "
                    f"{reader.line_num}, or never)",
                    line=start_line,
                    value=next((c for c in cells if "\n" in c or "\r" in c), "")[:40],
                )
                return None
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


_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' if ``raw`` looks like text in one of them, else None.

    Spreadsheet programs on Windows save "Unicode text" as UTF-16, which is full of NUL bytes;
    calling that binary data would send the author looking for the wrong problem.
    """
    for bom, name in _UNICODE_BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    for phase in (0, 1):  # UTF-16 without a BOM: every other byte of ASCII text is NUL
        zeros = sample[1 - phase :: 2]
        chars = sample[phase::2]
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) == 0:
            return "UTF-16"
    return None


def decode_text(raw: bytes, rel: str, log: IssueLog) -> str | None:
    """Decode a scenario file as UTF-8 (a byte-order mark is allowed); log why not and return None.

    Each way a file can fail to be UTF-8 text gets its own message, since each has its own fix:
    UTF-16 or UTF-32 (re-save as UTF-8), binary content (wrong file), or a legacy 8-bit encoding
    (re-save as UTF-8), the last with the line and the text around the first bad byte.
    """
    wide = _wide_encoding(raw)
    if wide is not None:
        log.error(rel, "UTF-8 encoded text (save the file as UTF-8)", value=f"{wide} text")
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        log.error(rel, "UTF-8 text, not binary data", line=line, value="NUL byte")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        at = exc.start - line_start
        line_end = raw.find(b"\n", exc.start)
        text = raw[line_start : len(raw) if line_end < 0 else line_end].rstrip(b"\r")
        context = text[max(0, at - 30) : at + 30].decode("cp1252", errors="replace")
        log.error(
            rel,
            "UTF-8 encoded text (the file may be Latin-1 or Windows-1252: save it as UTF-8)",
            line=line,
            value=f"byte 0x{raw[exc.start]:02x} in {context!r}",
        )
        return None
