"""An independent checker of DATEV Buchungsstapel files, written from the format description.

It knows nothing of paymatch's writer: it reads the 31 header fields with their
patterns and the 125 columns with type, length, quoting and whether mandatory
from ``tests/data/datev/`` (facts of DATEV's format description) and checks a
file byte by byte against them. ``check_buchungsstapel`` returns the bookings
as dicts by column name, so tests can compare values.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "datev"
BELEGFELD = re.compile(r"[A-Za-z0-9$&%*+\-/]{0,36}")


@dataclass(frozen=True)
class Column:
    number: int
    name: str
    type: str
    size: str
    quoted: bool
    mandatory: bool


def columns() -> list[Column]:
    with (DATA / "buchungsstapel_v13_columns.csv").open(encoding="utf-8") as stream:
        return [
            Column(
                number=int(row["nr"]),
                name=row["header_as_in_DATEV_sample"],
                type=row["type"],
                size=row["max_len_or_format"],
                quoted=row["quoted"] == "yes",
                mandatory=row["mandatory"] == "yes",
            )
            for row in csv.DictReader(stream)
        ]


def header_patterns() -> list[tuple[str, re.Pattern[str]]]:
    with (DATA / "header_v700_fields.csv").open(encoding="utf-8") as stream:
        patterns = []
        for row in csv.DictReader(stream):
            expression = row["expression"].split("  ")[0]  # drop the notes after the pattern
            if expression.startswith("YYYYMMDDHHMMSSFFF"):
                expression = r"^\d{17}$"
            elif expression == "YYYYMMDD":
                expression = r"^\d{8}$"
            elif expression.startswith("^[]$"):
                expression = "^$"
            patterns.append((row["name"], re.compile(expression)))
        return patterns


class DatevError(AssertionError):
    """The file breaks a rule of the format."""


def split_fields(line: str) -> list[str]:
    """``;``-separated fields, keeping the quotes; ``;`` inside quotes does not split."""
    fields, current, quoted = [], [], False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    if quoted:
        raise DatevError(f"unbalanced quotes in {line[:40]!r}...")
    fields.append("".join(current))
    return fields


def _unquote(field: str, where: str) -> str:
    if not (len(field) >= 2 and field[0] == field[-1] == '"'):
        raise DatevError(f"{where}: text must be quoted, got {field!r}")
    inner = field[1:-1]
    if re.search(r'(?<!")"(?!")', inner.replace('""', "")):
        raise DatevError(f"{where}: inner quote not doubled in {field!r}")
    return inner.replace('""', '"')


def _check_value(column: Column, raw: str, where: str, fiscal_start: dt.date) -> str:
    if column.quoted:
        value = _unquote(raw, where)
    else:
        if raw.startswith('"'):
            raise DatevError(f"{where}: {column.name} must not be quoted, got {raw!r}")
        value = raw
    if not value:
        if column.mandatory:
            raise DatevError(f"{where}: {column.name} is mandatory")
        return value
    if column.type == "string" and column.size.isdigit() and len(value) > int(column.size):
        raise DatevError(f"{where}: {column.name} longer than {column.size}: {value!r}")
    if column.type == "decimal":
        whole, places = (int(part) for part in column.size.split(","))
        if not re.fullmatch(rf"\d{{1,{whole}}}(,\d{{1,{places}}})?", value):
            raise DatevError(f"{where}: {column.name} is not a decimal {column.size}: {value!r}")
    if column.type == "integer" and not re.fullmatch(rf"\d{{1,{column.size}}}", value):
        raise DatevError(f"{where}: {column.name} is not an integer of {column.size}: {value!r}")
    if column.type == "boolean" and value not in ("0", "1"):
        raise DatevError(f"{where}: {column.name} is not 0 or 1: {value!r}")
    if column.name == "Belegdatum":
        day, month = int(value[:2]), int(value[2:])
        year = fiscal_start.year if month >= fiscal_start.month else fiscal_start.year + 1
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DatevError(f"{where}: Belegdatum {value} is no day of the fiscal year") from None
    return value


def check_buchungsstapel(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Check a whole file; return the header fields and the bookings (unquoted, by column)."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise DatevError("the file starts with a BOM")
    text = data.decode("cp1252")  # raises on bytes cp1252 does not define
    if "\n" in text.replace("\r\n", ""):
        raise DatevError("a line ends without CR LF")
    if not text.endswith("\r\n"):
        raise DatevError("the file does not end with CR LF")
    lines = text[:-2].split("\r\n")
    header = split_fields(lines[0])
    patterns = header_patterns()
    if len(header) != len(patterns):
        raise DatevError(f"header has {len(header)} fields, not {len(patterns)}")
    for (name, pattern), value in zip(patterns, header, strict=True):
        if not pattern.match(value):
            raise DatevError(f"header field {name}: {value!r} does not match {pattern.pattern}")
    if header[0] != '"EXTF"' or header[2] != "21" or header[4] != "13":
        raise DatevError("not an EXTF Buchungsstapel, format version 13")
    fiscal_start = dt.datetime.strptime(header[12], "%Y%m%d").date()
    first, last = (dt.datetime.strptime(header[i], "%Y%m%d").date() for i in (14, 15))
    spec = columns()
    names = lines[1].split(";")
    if names != [column.name for column in spec]:
        raise DatevError("line 2 does not name the 125 columns in order")
    bookings = []
    if len(lines) - 2 > 99_999:
        raise DatevError("more than 99,999 bookings")
    for number, line in enumerate(lines[2:], start=3):
        fields = split_fields(line)
        if len(fields) != len(spec):
            raise DatevError(f"line {number}: {len(fields)} fields, not {len(spec)}")
        row = {
            column.name: _check_value(column, raw, f"line {number}", fiscal_start)
            for column, raw in zip(spec, fields, strict=True)
        }
        if Decimal(row["Umsatz (ohne Soll/Haben-Kz)"].replace(",", ".")) == 0:
            raise DatevError(f"line {number}: amount 0,00")
        if row["Soll/Haben-Kennzeichen"] not in ("S", "H"):
            raise DatevError(f"line {number}: Soll/Haben must be S or H")
        if row["Festschreibung"] == "":
            raise DatevError(f"line {number}: Festschreibung not written")
        if not BELEGFELD.fullmatch(row["Belegfeld 1"]):
            raise DatevError(f"line {number}: Belegfeld 1 {row['Belegfeld 1']!r}")
        day, month = int(row["Belegdatum"][:2]), int(row["Belegdatum"][2:])
        year = fiscal_start.year if month >= fiscal_start.month else fiscal_start.year + 1
        if not first <= dt.date(year, month, day) <= last:
            raise DatevError(f"line {number}: Belegdatum outside {first} to {last}")
        bookings.append(row)
    return header, bookings
