"""Compile the committed .po catalogues to .mo, without GNU gettext.

The install step runs this, so no binary catalogue is committed and a machine
without msgfmt still gets every page in Spanish.
"""

import polib
from django.conf import settings

from sinfronteras.clicommand import Command as ConventionCommand


class Command(ConventionCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po of the package to .mo."
    example = "sinfronteras compilecatalogues"

    def handle(self, *args, **options):
        package = settings.PACKAGE_DIR
        for po_path in sorted(package.rglob("locale/*/LC_MESSAGES/*.po")):
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path.relative_to(package)} "
                              f"({catalogue.percent_translated()}% translated)")
