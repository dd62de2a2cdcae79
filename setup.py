"""Build step: compile the committed Spanish catalogues (.po) into the package as .mo.

Everything else is in pyproject.toml. This hook exists so that `pip install .` (a wheel,
not a checkout) ships every page in Spanish without GNU gettext; a checkout gets the
same files from `sinfronteras compilecatalogues`, which `make` runs.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        import polib

        built = Path(self.build_lib) / "sinfronteras"
        for po_path in sorted(built.rglob("locale/*/LC_MESSAGES/*.po")):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildWithCatalogues})
