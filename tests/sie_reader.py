"""An independent SIE reader, written from "SIE filformat, utgåva 4B" (sections 5, 6, 10, 11).

It splits records into label and fields the way section 5 describes (blanks
and tabs between fields, double quotes around fields with blanks, ``\\"`` for a
quote inside, ``{...}`` object lists), collects ``#VER`` vouchers with their
``#TRANS`` lines, and recomputes ``#KSUMMA`` by the rules of section 10.14:
labels and field contents of every record between the two ``#KSUMMA``, without
the blanks between fields, the enclosing quotes and braces, and with escaped
quotes counted as the quote alone; CRC-32 with polynomial EDB88320, preset to
FFFFFFFF and inverted at the end, over the code page 437 bytes.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field
from decimal import Decimal


class SieError(AssertionError):
    """The file breaks a rule of the specification."""


@dataclass
class Voucher:
    series: str
    number: str
    date: str
    text: str
    transactions: list[tuple[str, Decimal, list[str]]] = field(default_factory=list)


@dataclass
class SieFile:
    records: list[tuple[str, list[str]]]
    vouchers: list[Voucher]
    checksum_given: int | None
    checksum_computed: int | None


def fields_of(line: str) -> tuple[str, list[str], list[str]]:
    """The label, the fields as values, and each field's checksum content."""
    values: list[str] = []
    sums: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char in " \t":
            index += 1
        elif char == '"':
            index += 1
            value = []
            while True:
                if index >= len(line):
                    raise SieError(f"unterminated quote in {line!r}")
                if line[index] == "\\" and line[index + 1 : index + 2] == '"':
                    value.append('"')
                    index += 2
                elif line[index] == '"':
                    index += 1
                    break
                else:
                    value.append(line[index])
                    index += 1
            values.append("".join(value))
            sums.append("".join(value))
        elif char == "{":
            end = line.index("}", index)
            inner = line[index + 1 : end]
            values.append("{" + inner + "}")
            sums.append("".join(part.strip('"') for part in inner.split()))
            index = end + 1
        else:
            end = index
            while end < len(line) and line[end] not in " \t":
                end += 1
            values.append(line[index:end])
            sums.append(line[index:end])
            index = end
    if not values:
        return "", [], []
    return values[0], values[1:], sums


def read_sie(data: bytes) -> SieFile:
    text = data.decode("cp437")
    lines = text.split("\r\n")
    if lines[-1] != "":
        raise SieError("the file does not end with a line break")
    records: list[tuple[str, list[str]]] = []
    vouchers: list[Voucher] = []
    crc: int | None = None
    given: int | None = None
    open_voucher: Voucher | None = None
    in_braces = False
    for line in lines[:-1]:
        stripped = line.strip()
        if stripped == "{":
            if open_voucher is None or in_braces:
                raise SieError("{ without #VER")
            in_braces = True
            continue
        if stripped == "}":
            if not in_braces:
                raise SieError("} without {")
            in_braces = False
            open_voucher = None
            continue
        label, values, sums = fields_of(stripped)
        if not label.startswith("#"):
            raise SieError(f"not a record: {line!r}")
        if label == "#KSUMMA":
            if not values:
                crc = 0
            else:
                given = int(values[0])
                if crc is None:
                    raise SieError("closing #KSUMMA without an opening one")
            continue
        if crc is not None and given is None:
            for part in sums:
                crc = binascii.crc32(part.encode("cp437"), crc)
        records.append((label, values))
        if label == "#VER":
            open_voucher = Voucher(*values[:4])
            vouchers.append(open_voucher)
        elif label == "#TRANS":
            if open_voucher is None or not in_braces:
                raise SieError("#TRANS outside a voucher")
            open_voucher.transactions.append((values[0], Decimal(values[2]), values[3:]))
    return SieFile(records, vouchers, given, crc)
