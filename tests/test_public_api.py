"""The public surface: ``paymatch.__all__`` is complete, every name resolves and is documented."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import paymatch

DOCS = Path(__file__).resolve().parent.parent / "docs"
PUBLIC_MODULES = [
    "paymatch.model",
    "paymatch.ledger",
    "paymatch.matching",
    "paymatch.errors",
    "paymatch.wire",
]
PARTS = ["paymatch.model", "paymatch.ledger", "paymatch.parsers", "paymatch.matching"]


def test_all_is_sorted_and_unique() -> None:
    assert list(paymatch.__all__) == sorted(set(paymatch.__all__))


@pytest.mark.parametrize("name", paymatch.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(paymatch, name) is not None


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_name_of_a_public_module_is_exported_at_the_top(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = sorted(set(module.__all__) - set(paymatch.__all__))
    assert missing == [], f"{module_name} exports {missing}, but paymatch.__all__ does not"


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_top_level_names_are_the_module_objects(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert getattr(paymatch, name) is getattr(module, name), name


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nonsense'"):
        paymatch.Nonsense  # noqa: B018


@pytest.mark.parametrize("name", [name for name in paymatch.__all__ if name != "__version__"])
def test_every_public_name_has_a_docstring(name: str) -> None:
    value = getattr(paymatch, name)
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return  # a type alias or the default converter: documented in docs/api.md, checked below
    assert (inspect.getdoc(value) or "").strip(), f"{name} has no docstring"


def test_every_public_name_is_in_the_api_reference() -> None:
    reference = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([A-Za-z_0-9]+)`", reference, flags=re.MULTILINE))
    names = set(paymatch.__all__) - {"__version__"}
    assert sorted(names - documented) == [], "public names missing from docs/api.md"
    assert sorted(documented - names) == [], "docs/api.md documents names that are not public"


@pytest.mark.parametrize("part", [*PARTS, "paymatch.accounting"])
def test_the_five_parts_import(part: str) -> None:
    module = importlib.import_module(part)
    assert isinstance(module.__all__, list)
    assert (module.__doc__ or "").strip()


def test_version_matches_the_package_metadata() -> None:
    from importlib.metadata import version

    assert paymatch.__version__ == version("paymatch")
