"""The catalogue a new collective starts with, unless it asks for an empty one.

Which of these count as basic is only where a collective starts: after that the
members decide it, by vote (see ``members.services.do_change_setting``).
"""

from __future__ import annotations

from decimal import Decimal

#: key, English name, Spanish name, unit, Spanish unit, basic, carries, given in person, step
#: (the least that can be handed over: whole packs, kits, rides and copies; half hours; half
#: kilos of food; carrying in quarter hours, as carries are counted).
STARTER = [
    ("food", "Food", "Comida", "kg", "kg", True, False, False, Decimal("0.5")),
    ("diapers", "Diapers", "Pañales", "packs", "paquetes", True, False, False, Decimal(1)),
    ("hygiene-kits", "Hygiene kits", "Kits de higiene", "kits", "kits", True, False, False,
     Decimal(1)),
    ("legal-help", "Legal help", "Ayuda legal", "hours", "horas", True, False, True,
     Decimal("0.5")),
    ("rides", "Rides", "Viajes en coche", "rides", "viajes", False, False, True, Decimal(1)),
    ("childcare", "Childcare", "Cuidado de niños", "hours", "horas", False, False, True,
     Decimal("0.5")),
    ("newspaper", "Newspaper copies", "Ejemplares del periódico", "copies", "ejemplares", False,
     False, False, Decimal(1)),
    ("carrying", "Carrying (driving or biking things over)", "Transporte (llevar cosas)", "hours",
     "horas", False, True, False, Decimal("0.25")),
]
