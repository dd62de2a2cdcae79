"""The catalogue a new collective starts with, unless it asks for an empty one.

Which of these count as basic is only where a collective starts: after that the
members decide it, by vote (see ``members.services.do_change_setting``).
"""

from __future__ import annotations

#: key, English name, Spanish name, unit, Spanish unit, basic, carries, given in person
STARTER = [
    ("food", "Food", "Comida", "kg", "kg", True, False, False),
    ("diapers", "Diapers", "Pañales", "packs", "paquetes", True, False, False),
    ("hygiene-kits", "Hygiene kits", "Kits de higiene", "kits", "kits", True, False, False),
    ("legal-help", "Legal help", "Ayuda legal", "hours", "horas", True, False, True),
    ("rides", "Rides", "Viajes en coche", "rides", "viajes", False, False, True),
    ("childcare", "Childcare", "Cuidado de niños", "hours", "horas", False, False, True),
    ("newspaper", "Newspaper copies", "Ejemplares del periódico", "copies", "ejemplares", False,
     False, False),
    ("carrying", "Carrying (driving or biking things over)", "Transporte (llevar cosas)", "hours",
     "horas", False, True, False),
]
