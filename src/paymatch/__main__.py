"""``python -m paymatch``: the same as the ``paymatch`` command."""

from paymatch.cli import main

if __name__ == "__main__":
    main()
