"""The public data that ships with sinfronteras, and where to find it.

The files under this package (food pantries, real elections and budgets,
input-output tables, the FAO food supply, a NETGEN flow instance) are
nobody's work on this project: ``README.md`` beside them gives each one's
source and licence. They are found from a checkout and from an installed
package alike. ``SINFRONTERAS_DATA`` may point at another folder laid out the
same way.

Examples
--------
>>> path("la", "food_pantries_2020.json").name
'food_pantries_2020.json'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGED = Path(__file__).resolve().parent
VARIABLE = "SINFRONTERAS_DATA"


class DataMissing(FileNotFoundError):
    """A data file is not where the data folder says; the message is one line."""


def folder() -> Path:
    """The data folder: ``$SINFRONTERAS_DATA`` when set, else the packaged one."""
    chosen = os.environ.get(VARIABLE, "").strip()
    return Path(chosen).expanduser() if chosen else PACKAGED


def path(*parts: str) -> Path:
    """The path of one data file, checked to exist.

    Raises
    ------
    DataMissing
        With one line naming the variable and the file looked for.
    """
    base = folder()
    found = base.joinpath(*parts)
    if not found.is_file():
        if os.environ.get(VARIABLE, "").strip():
            raise DataMissing(f"{VARIABLE}={base} has no {'/'.join(parts)} (looked for {found}): "
                              f"point {VARIABLE} at a data folder that has it, or unset it.")
        raise DataMissing(f"the packaged data has no {'/'.join(parts)} (looked for {found}): "
                          f"reinstall sinfronteras, or set {VARIABLE} to a data folder that has it.")
    return found
