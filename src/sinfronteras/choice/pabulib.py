"""Pabulib participatory-budget files (``.pb``): read and write.

Format (Stolicki, Szufa, Talmon 2020): three sections ``META``, ``PROJECTS``,
``VOTES`` in that order, each a ``;``-separated table with a header row. META
needs ``budget``; PROJECTS needs ``project_id`` and ``cost``; VOTES needs
``voter_id`` and ``vote`` (project ids separated by commas), and ``points`` for
``scoring``/``cumulative`` votes.

Examples
--------
>>> text = ("META\\nkey;value\\nbudget;10\\nvote_type;approval\\nPROJECTS\\nproject_id;cost;name\\n"
...         "1;6;Garden\\n2;5;Library\\nVOTES\\nvoter_id;vote\\nv1;1,2\\nv2;2\\n")
>>> b = parse_pabulib(text)
>>> b.limit, b.candidates, b.approvals
(Fraction(10, 1), ('1', '2'), (frozenset({0, 1}), frozenset({1})))
>>> parse_pabulib(write_pabulib(b)) == b
True
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

from .model import BallotFileError, Budget, Project

SECTIONS = ("META", "PROJECTS", "VOTES")


def _number(text: str, line: int, what: str) -> Fraction:
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise BallotFileError(line, f"bad {what} {text!r} (expected a number)") from None
    if value < 0:
        raise BallotFileError(line, f"negative {what} {text.strip()}")
    return value


def _split(text: str) -> list[tuple[int, str, list[list[tuple[int, list[str]]]]]]:
    """Sections as (line, name, [header and rows as (line, fields)])."""
    sections: list = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if ";" not in raw and raw.strip().isupper() or (";" not in raw and not sections):
            name = raw.strip()
            if name not in SECTIONS:
                raise BallotFileError(number, f"unknown section {name!r} (expected META, PROJECTS or VOTES)")
            expected = SECTIONS[len(sections)] if len(sections) < 3 else None
            if name != expected:
                raise BallotFileError(number, f"section {name} out of place (expected {expected or 'end of file'})")
            sections.append((number, name, []))
            continue
        if not sections:
            raise BallotFileError(number, "expected the META section first")
        fields = next(csv.reader([raw], delimiter=";"))
        sections[-1][2].append((number, [f.strip() for f in fields]))
    if len(sections) < 3:
        missing = SECTIONS[len(sections)]
        raise BallotFileError(len(text.splitlines()), f"section {missing} missing")
    return sections


def _table(section, required: tuple[str, ...]):
    line, name, rows = section
    if not rows:
        raise BallotFileError(line, f"section {name} has no header row")
    header_line, header = rows[0]
    for key in required:
        if key not in header:
            raise BallotFileError(header_line, f"{name} header lacks '{key}'")
    out = []
    for number, fields in rows[1:]:
        if len(fields) != len(header):
            raise BallotFileError(number, f"{len(fields)} fields where the {name} header has {len(header)}")
        out.append((number, dict(zip(header, fields))))
    return out


def _projects(section) -> list[Project]:
    projects, seen = [], set()
    for number, row in _table(section, ("project_id", "cost")):
        pid = row["project_id"]
        if pid in seen:
            raise BallotFileError(number, f"project {pid} listed twice")
        seen.add(pid)
        selected = row.get("selected")
        extra = {k: v for k, v in row.items() if k not in ("project_id", "cost", "name", "selected")}
        projects.append(Project(pid, _number(row["cost"], number, "cost"), row.get("name", ""),
                                None if selected in (None, "") else selected.strip() not in ("0", ""), extra))
    return projects


VOTE_TYPES = ("approval", "choose-1", "ordinal", "cumulative", "scoring")
#: Warnings of one kind written out one by one; past this, one line counts the rest.
WARN_EACH = 10


class _Faults:
    """Faults the count survives, each said in one line (the first few of a kind one by one)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more: dict[str, int] = {}

    def add(self, kind: str, line: str) -> None:
        seen = self.more.get(kind, 0)
        self.more[kind] = seen + 1
        if seen < WARN_EACH:
            self.lines.append(line)

    def out(self) -> tuple[str, ...]:
        rest = [f"... and {n - WARN_EACH} more ballots with the same fault ({kind})"
                for kind, n in self.more.items() if n > WARN_EACH]
        return tuple(self.lines + rest)


def _ballot_points(row, chosen, number, vote_type, meta) -> list[Fraction]:
    """Points of each chosen project: the ``points`` column, or by place for ordinal votes."""
    if row.get("points", "").strip():
        given = [p for p in row["points"].split(",") if p.strip()]
        if len(given) != len(chosen):
            raise BallotFileError(number, f"{len(chosen)} projects but {len(given)} points")
        return [_number(g, number, "points") for g in given]
    if vote_type != "ordinal":
        raise BallotFileError(number, f"{vote_type} votes need a 'points' value")
    top = int(meta.get("max_length") or 0) or len(chosen)
    return [Fraction(max(top - k, 0)) for k in range(len(chosen))]


def _votes(section, index: dict[str, int], vote_type: str, meta, faults: _Faults):
    """Ballots: approvals, voter ids and points; faults a count survives become warnings."""
    pointed = vote_type in ("ordinal", "cumulative", "scoring")
    approvals, ids, points, seen_ids = [], [], [], set()
    top_sum = _number(meta["max_sum_points"], 0, "max_sum_points") if meta.get("max_sum_points") else None
    longest = int(meta["max_length"]) if str(meta.get("max_length", "")).isdigit() else None
    required = ("voter_id", "vote") + (("points",) if vote_type in ("cumulative", "scoring") else ())
    for number, row in _table(section, required):
        voter = row["voter_id"]
        named = [v.strip() for v in row["vote"].split(",") if v.strip()]
        for pid in named:
            if pid not in index:
                raise BallotFileError(number, f"unknown project {pid}")
        marks = _ballot_points(row, named, number, vote_type, meta) if pointed else []
        chosen = list(dict.fromkeys(named))
        if len(chosen) != len(named):
            twice = sorted({p for p in named if named.count(p) > 1})
            faults.add("a project named twice", f"line {number} (voter {voter}): project {', '.join(twice)} named "
                       "twice in one ballot; counted once" + (", with its first points" if pointed else ""))
            if pointed:
                first = {}
                for pid, mark in zip(named, marks):
                    first.setdefault(pid, mark)
                marks = [first[p] for p in chosen]
        if vote_type == "choose-1" and len(chosen) > 1:
            faults.add("choose-1 naming several", f"line {number} (voter {voter}): a choose-1 ballot names "
                       f"{len(chosen)} projects; counted for the first, {chosen[0]}")
            chosen = chosen[:1]
        if longest is not None and len(chosen) > longest:
            faults.add("ballot too long", f"line {number} (voter {voter}): {len(chosen)} projects where "
                       f"max_length is {longest}; counted as cast")
        if top_sum is not None and pointed and sum(marks) > top_sum:
            faults.add("too many points", f"line {number} (voter {voter}): {sum(marks)} points where "
                       f"max_sum_points is {meta['max_sum_points']}; counted as cast")
        if voter in seen_ids:
            faults.add("voter id twice", f"line {number}: voter id {voter} appears twice; both ballots counted")
        seen_ids.add(voter)
        approvals.append(frozenset(index[p] for p in chosen))
        ids.append(voter)
        if pointed:
            points.append(tuple((index[p], m) for p, m in zip(chosen, marks)))
    return tuple(approvals), tuple(ids), tuple(points)


def parse_pabulib(text: str) -> Budget:
    """Parse Pabulib text; raises :class:`BallotFileError` naming the bad line.

    Faults a published file can hold and the count survives (a project named
    twice in a ballot, a voter id twice, a ballot longer or with more points than
    the META allows, counts in META that differ) are counted as said in
    ``Budget.warnings``, one line each.
    """
    meta_s, projects_s, votes_s = _split(text)
    meta = {row["key"]: row["value"] for _, row in _table(meta_s, ("key", "value"))}
    meta_line = {row["key"]: n for n, row in _table(meta_s, ("key", "value"))}
    if "budget" not in meta:
        raise BallotFileError(meta_s[0], "budget missing in META")
    limit = _number(meta["budget"], meta_line["budget"], "budget")
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise BallotFileError(meta_line["vote_type"],
                              f"unknown vote_type {vote_type!r} (expected one of {', '.join(VOTE_TYPES)})")
    projects = _projects(projects_s)
    index = {p.id: k for k, p in enumerate(projects)}
    faults = _Faults()
    approvals, ids, points = _votes(votes_s, index, vote_type, meta, faults)
    for key, real in (("num_projects", len(projects)), ("num_votes", len(approvals))):
        if str(meta.get(key, "")).strip().isdigit() and int(meta[key]) != real:
            faults.add(key, f"line {meta_line[key]}: META {key} is {meta[key]} but the file holds {real}; "
                       "counted what it holds")
    return Budget(tuple(projects), limit, approvals, ids, points, meta, faults.out())


def read_pabulib(path: str | Path) -> Budget:
    """Read a ``.pb`` file (UTF-8)."""
    return parse_pabulib(Path(path).read_text(encoding="utf-8-sig"))


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(float(x))


def write_pabulib(budget: Budget) -> str:
    """Pabulib text for a budget (approval votes, or points when the budget has them)."""
    rows = [["key", "value"]]
    meta = {"num_projects": str(len(budget.projects)), "num_votes": str(budget.num_voters),
            **{k: v for k, v in budget.meta.items() if k not in ("key", "budget")}, "budget": _num(budget.limit)}
    meta.setdefault("vote_type", "scoring" if budget.points else "approval")
    rows += [[k, v] for k, v in meta.items()]
    extra = sorted({k for p in budget.projects for k in p.extra})
    project_rows = [["project_id", "cost", "name", "selected", *extra]]
    for p in budget.projects:
        flag = "" if p.selected is None else str(int(p.selected))
        project_rows.append([p.id, _num(p.cost), p.name, flag, *(p.extra.get(k, "") for k in extra)])
    if all(p.selected is None for p in budget.projects):
        project_rows = [r[:3] + r[4:] for r in project_rows]
    ids = budget.voter_ids or tuple(str(k + 1) for k in range(budget.num_voters))
    vote_rows = [["voter_id", "vote"] + (["points"] if budget.points else [])]
    for k, (vid, ballot) in enumerate(zip(ids, budget.approvals)):
        if budget.points:
            vote_rows.append([vid, ",".join(budget.projects[c].id for c, _ in budget.points[k]),
                              ",".join(_num(x) for _, x in budget.points[k])])
        else:
            vote_rows.append([vid, ",".join(budget.projects[c].id for c in sorted(ballot))])
    lines = []
    for name, table in zip(SECTIONS, (rows, project_rows, vote_rows)):
        lines.append(name)
        lines += [";".join(_quote(f) for f in row) for row in table]
    return "\n".join(lines) + "\n"


def _quote(field: str) -> str:
    return '"' + field.replace('"', '""') + '"' if any(ch in field for ch in ';"\n') else field
