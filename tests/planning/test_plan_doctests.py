"""The runnable examples in the planner's docstrings."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sinfronteras.planning as planning

MODULES = sorted(m.name for m in pkgutil.iter_modules(planning.__path__, planning.__name__ + "."))


@pytest.mark.parametrize("name", [planning.__name__, *MODULES])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_importing_the_library_stays_light():
    import subprocess
    import sys

    code = "import sys, sinfronteras.planning; print(any(m.split('.')[0] in ('ortools', 'scipy', 'highspy', 'django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
