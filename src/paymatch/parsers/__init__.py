"""Statement parsers: bytes from a bank or payment provider -> statements of movements.

One module per format, a registry and auto-detection (the bank-parser issue
fills this part). Parsers take bytes and return data; they open no files.
"""

__all__: list[str] = []
