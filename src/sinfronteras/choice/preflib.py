"""PrefLib ranked-ballot files (``.soi``, ``.toi``, also ``.soc``/``.toc``): read and write.

Format: header lines ``# KEY: value`` (``# ALTERNATIVE NAME i: name`` names the
alternatives 1..m), then rows ``count: a,b,{c,d},e``, ``{}`` a tie.

Examples
--------
>>> text = "# DATA TYPE: toi\\n# ALTERNATIVE NAME 1: Ana\\n# ALTERNATIVE NAME 2: Bo\\n3: 2,1\\n1: {1,2}\\n"
>>> p = parse_preflib(text)
>>> p.candidates, p.ballots, p.counts
(('Ana', 'Bo'), (((1,), (0,)), ((0, 1),)), (3, 1))
>>> parse_preflib(write_preflib(p)) == p
True
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import BallotFileError, RankedProfile

_HEADER = re.compile(r"#\s*([^:]+?)\s*:\s?(.*)$")
_ALT = re.compile(r"ALTERNATIVE NAME (\d+)$")


def _parse_order(text: str, known: dict[int, int], line: int) -> tuple[tuple[int, ...], ...]:
    tiers, seen = [], set()
    for token in re.findall(r"\{[^{}]*\}|[^,{}]+|[{}]", text.replace(" ", "")):
        if token in "{}":
            raise BallotFileError(line, "unbalanced braces in the order")
        parts = token.strip("{}").split(",") if token.startswith("{") else [token]
        tier = []
        for part in parts:
            if not part.strip().isdigit():
                raise BallotFileError(line, f"bad alternative {part.strip()!r} (expected a number)")
            alt = int(part)
            if alt not in known:
                raise BallotFileError(line, f"unknown candidate {alt}")
            if alt in seen:
                raise BallotFileError(line, f"candidate {alt} ranked twice")
            seen.add(alt)
            tier.append(known[alt])
        tiers.append(tuple(tier))
    return tuple(tiers)


def _parse_row(raw: str, known: dict[int, int], line: int, strict: bool):
    if ":" not in raw:
        raise BallotFileError(line, "expected 'count: order'")
    count_text, order_text = raw.split(":", 1)
    try:
        count = int(count_text.strip())
    except ValueError:
        raise BallotFileError(line, f"bad count {count_text.strip()!r}") from None
    if count < 0:
        raise BallotFileError(line, f"negative count {count}")
    order = _parse_order(order_text.strip(), known, line)
    if strict and any(len(tier) > 1 for tier in order):
        raise BallotFileError(line, "a tie in a strict-order file (soi/soc)")
    return order, count


def _check_header(meta, names, first_row, total, line_count) -> None:
    where = first_row or line_count
    if not names:
        raise BallotFileError(where, "no '# ALTERNATIVE NAME i: name' lines")
    expected = meta.get("NUMBER ALTERNATIVES")
    if expected is not None and expected.strip() != str(len(names)):
        raise BallotFileError(where, f"NUMBER ALTERNATIVES is {expected.strip()} but {len(names)} are named")
    voters = meta.get("NUMBER VOTERS")
    if voters is not None and voters.strip() != str(total):
        raise BallotFileError(line_count, f"NUMBER VOTERS is {voters.strip()} but the rows count {total}")


def parse_preflib(text: str) -> RankedProfile:
    """Parse PrefLib text; raises :class:`BallotFileError` naming the bad line."""
    meta: dict[str, str] = {}
    names: dict[int, str] = {}
    ballots, counts, first_row, lines = [], [], 0, text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            if first_row:
                raise BallotFileError(number, "header line after the ballots")
            match = _HEADER.match(raw)
            if not match:
                raise BallotFileError(number, "expected '# KEY: value'")
            key, value = match.group(1).strip(), match.group(2).strip()
            alt = _ALT.match(key)
            if alt:
                if int(alt.group(1)) in names:
                    raise BallotFileError(number, f"alternative {alt.group(1)} named twice")
                names[int(alt.group(1))] = value
            else:
                meta[key] = value
            continue
        if not first_row:
            first_row = number
            known = {alt: k for k, alt in enumerate(sorted(names))}
            if not names:
                raise BallotFileError(number, "ballots before any '# ALTERNATIVE NAME i: name' line")
        strict = meta.get("DATA TYPE", "").lower() in ("soi", "soc")
        order, count = _parse_row(raw, known, number, strict)
        ballots.append(order)
        counts.append(count)
    _check_header(meta, names, first_row, sum(counts), len(lines))
    candidates = tuple(names[k] for k in sorted(names))
    return RankedProfile(candidates, tuple(ballots), tuple(counts), meta)


def read_preflib(path: str | Path) -> RankedProfile:
    """Read a ``.soi``/``.toi`` file (UTF-8)."""
    return parse_preflib(Path(path).read_text(encoding="utf-8"))


def write_preflib(profile: RankedProfile, data_type: str | None = None, title: str = "") -> str:
    """PrefLib text for a profile; ``data_type`` defaults to ``toi`` if any tie, else ``soi``.

    Identical orders are merged and rows are written with the largest count first.
    """
    has_tie = any(len(t) > 1 for b in profile.ballots for t in b)
    data_type = data_type or ("toi" if has_tie else "soi")
    if data_type in ("soi", "soc") and has_tie:
        raise ValueError("a strict-order file cannot hold ties; use toi")
    merged: dict = {}
    for ballot, count in zip(profile.ballots, profile.counts):
        merged[ballot] = merged.get(ballot, 0) + count
    rows = sorted(merged.items(), key=lambda kv: -kv[1])
    head = [f"# DATA TYPE: {data_type}"] + ([f"# TITLE: {title}"] if title else [])
    head += [f"# NUMBER ALTERNATIVES: {len(profile.candidates)}", f"# NUMBER VOTERS: {profile.num_voters}",
             f"# NUMBER UNIQUE ORDERS: {len(rows)}"]
    head += [f"# ALTERNATIVE NAME {k + 1}: {name}" for k, name in enumerate(profile.candidates)]

    def tier(t):
        ids = ",".join(str(c + 1) for c in t)
        return "{" + ids + "}" if len(t) > 1 else ids

    body = [f"{count}: " + ",".join(tier(t) for t in ballot) for ballot, count in rows]
    return "\n".join(head + body) + "\n"
