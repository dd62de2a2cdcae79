"""What an economy plan says, in words and as JSON (keys in ``docs/economy.md``).

Examples
--------
>>> from sinfronteras.economy.plan import Bottleneck
>>> sentence(Bottleneck(2, 0.684, "capacity", "construction", 0.0012, 40))
'construction at capacity holds tier 2 (basic) at 68.4 % (40 demands; shadow price 0.0012 per unit)'
>>> sentence(Bottleneck(3, 0.0, "capacity", "construction", 0.0, 12, used_up_before=True))
'construction at capacity after the earlier tiers leaves 12 demands of tier 3 (other, urgent) that need it, even indirectly, with nothing'
"""

from __future__ import annotations

import numpy as np

TIER_NAMES = {1: "basic, urgent", 2: "basic", 3: "other, urgent", 4: "other"}
#: Up to this many products, the JSON carries A and the Leontief inverse in full.
MATRICES_MAX = 500


def _tier(tier: int) -> str:
    return f"tier {tier} ({TIER_NAMES.get(tier, '?')})"


def _percent(level: float) -> str:
    return f"{level * 100:.1f} %"


def sentence(b) -> str:
    """One bottleneck in words."""
    what = "labour" if b.kind == "labour" else f"{b.product} at capacity"
    if b.used_up_before:
        return (f"{what} after the earlier tiers leaves {b.demands} demands of {_tier(b.tier)} "
                "that need it, even indirectly, with nothing")
    return (f"{what} holds {_tier(b.tier)} at {_percent(b.level)} ({b.demands} demands; "
            f"shadow price {b.shadow_price:.3g} per unit)")


def analysis(economy, final_demand: np.ndarray) -> dict:
    """Multipliers, labour values and the gross output a final demand takes."""
    values = economy.labour_values()
    x = economy.gross_output(final_demand)
    out = {
        "products": list(economy.codes),
        "output_multipliers": economy.output_multipliers().tolist(),
        "labour_coefficients": np.asarray(economy.labour, dtype=float).tolist(),
        "labour_values": values.tolist(),
        "final_demand": np.asarray(final_demand, dtype=float).tolist(),
        "gross_output": x.tolist(),
        "labour_needed": float(economy.labour @ x),
    }
    if economy.n <= MATRICES_MAX:
        out["technical_coefficients"] = economy.sparse.toarray().tolist()
        out["leontief_inverse"] = economy.leontief_inverse().tolist()
    return out


def plan_json(plan, demands) -> dict:
    """The plan part of the JSON: fractions by demand id, levels, labour, bottlenecks."""
    return {
        "fractions": {d.id: float(f) for d, f in zip(demands, plan.fractions)},
        "tier_levels": {str(t): levels for t, levels in plan.tier_levels.items()},
        "plan_gross_output": plan.gross_output.tolist(),
        "plan_labour_needed": plan.labour_needed,
        "labour_available": plan.labour_available,
        "capacity_rows": plan.capacity_rows,
        "bottlenecks": [{"tier": b.tier, "level": b.level, "kind": b.kind, "product": b.product,
                         "shadow_price": b.shadow_price, "demands": b.demands,
                         "used_up_before": b.used_up_before, "sentence": sentence(b)}
                        for b in plan.bottlenecks],
    }


def table_lines(economy, result: dict, limit: int | None = None) -> list[str]:
    """A readable table: one line per product."""
    lines = [f"{'product':<14} {'multiplier':>10} {'labour/unit':>12} {'labour value':>12} "
             f"{'gross output':>14}"]
    rows = zip(economy.codes, result["output_multipliers"], result["labour_coefficients"],
               result["labour_values"], result["gross_output"])
    for k, (code, mult, coeff, value, x) in enumerate(rows):
        if limit is not None and k == limit:
            lines.append(f"... and {economy.n - limit} more products (all of them in --json)")
            break
        lines.append(f"{code[:14]:<14} {mult:>10.4f} {coeff:>12.4g} {value:>12.4g} {x:>14.6g}")
    lines.append(f"labour needed for the final demand: {result['labour_needed']:.6g}")
    return lines


def plan_lines(plan) -> list[str]:
    """The plan in words: each tier's lowest level, the labour, the bottlenecks."""
    lines = []
    for tier, levels in plan.tier_levels.items():
        if levels:
            lines.append(f"{_tier(tier)}: lowest fraction {_percent(min(levels))}")
    offered = "unlimited" if plan.labour_available is None else f"{plan.labour_available:.6g}"
    lines.append(f"labour needed {plan.labour_needed:.6g} of {offered} offered")
    lines.extend(sentence(b) for b in plan.bottlenecks)
    if not plan.bottlenecks:
        lines.append("every demand is met in full")
    return lines
