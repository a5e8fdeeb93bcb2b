"""Formula injection: text that a spreadsheet would run as a formula is made inert.

A CSV export is opened in Excel or LibreOffice sooner or later; a booking
text copied from a payer's remittance information such as
``=HYPERLINK("http://evil","Rechnung")`` would then be evaluated. Following
OWASP's advice, a text field that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading apostrophe, which spreadsheets show as
text. Only text fields pass through here: amounts, dates and account numbers
are written as they are, so no figure ever changes.

>>> neutralise_formula('=SUM(A1:A9)')
"'=SUM(A1:A9)"
>>> neutralise_formula('Rechnung 4711')
'Rechnung 4711'
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "neutralise_formula"]

#: The first characters that make a spreadsheet cell a formula (or smuggle one in).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
