"""The runnable examples in the economy library's docstrings; the library stays pure."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import sinfronteras.economy as economy

MODULES = sorted(m.name for m in pkgutil.iter_modules(economy.__path__, economy.__name__ + "."))


@pytest.mark.parametrize("name", [economy.__name__, *MODULES])
def test_docstring_examples(name):
    assert doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).failed == 0


def test_the_economy_library_never_imports_django_and_loads_scipy_lazily():
    code = ("import sys, sinfronteras.economy; "
            "print(any(m.split('.')[0] in ('scipy', 'django', 'highspy') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
