"""The reasoning of a tally, shaped for the results page and said in the reader's language.

Counting stores plain JSON (see :func:`counting.count`); this turns it into rows
and tables: the answers, why a proposal failed, the rounds of an instant runoff
or STV count, the Schulze pairwise table, ranked pairs' locked defeats, and the
purchases of Equal Shares or greedy.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from sinfronteras.web.formats import amount, number, whole

from .models import Kind, Rule

ANSWER_NAMES = {"agree": gettext_lazy("agree"), "abstain": gettext_lazy("abstain"),
                "disagree": gettext_lazy("disagree"), "block": gettext_lazy("block"),
                "yes": gettext_lazy("yes"), "no": gettext_lazy("no")}


def reason_text(reason: dict, so_far: bool = False) -> str:
    """Why a proposal did not pass; ``so_far``: while voting is open, in the present tense."""
    code = reason.get("code")
    if code == "quorum":
        # A count of people is whole: half of 679 members is 340 votes, never "679/2".
        needed = whole(reason.get("needed"))
        if so_far:
            return ngettext(
                "Quorum not reached so far: %(voted)s of %(members)s members have voted; "
                "%(needed)s vote is needed.",
                "Quorum not reached so far: %(voted)s of %(members)s members have voted; "
                "%(needed)s votes are needed.", needed) % {**reason, "needed": needed}
        return ngettext("Quorum not met: %(voted)s of %(members)s members voted; %(needed)s vote needed.",
                        "Quorum not met: %(voted)s of %(members)s members voted; %(needed)s votes needed.",
                        needed) % {**reason, "needed": needed}
    if code == "block":
        if so_far:
            return ngettext("So far %(n)s member blocks.", "So far %(n)s members block.", reason["n"]) % reason
        return ngettext("%(n)s member blocked.", "%(n)s members blocked.", reason["n"]) % reason
    if code == "not_more":
        if so_far:
            return _("So far not more in favour (%(yes)s) than against (%(no)s).") % reason
        return _("Not more in favour (%(yes)s) than against (%(no)s).") % reason
    if code == "no_votes":
        return _("Nobody has voted yet.") if so_far else _("Nobody voted.")
    return _("No option is chosen so far.") if so_far else _("No option was chosen.")


def _answers(tally) -> list[tuple[str, int]]:
    return [(str(ANSWER_NAMES.get(k, k)), v) for k, v in tally.get("answers", {}).items()]


def _rounds(tally, labels) -> list[dict]:
    rows = []
    for r in tally.get("rounds", []):
        counts = [(labels.get(name, name), number(value, 2)) for name, value in r["tallies"].items()]
        rows.append({"number": r["round"], "counts": counts,
                     "elected": [labels.get(n, n) for n in r["elected"]],
                     "eliminated": [labels.get(n, n) for n in r["eliminated"]],
                     "tie": "tie" in r.get("note", "")})
    return rows


def _table(matrix: dict, names: list[str]) -> list[dict]:
    return [{"name": a, "cells": [None if a == b else matrix[a][b] for b in names]} for a in names]


def _budget_steps(tally, labels, unit=None) -> list[dict]:
    """Equal Shares' purchases, or greedy's projects in order of votes (bought or not)."""
    votes = tally.get("project_votes", {})
    order = sorted((p for p, n in votes.items() if n > 0), key=lambda p: (-votes[p], p))
    steps = []
    for k, r in enumerate(tally.get("rounds", [])):
        t = r["tallies"]
        project = r["elected"][0] if r["elected"] else (order[k] if k < len(order) else None)
        steps.append({"number": r["round"], "project": labels.get(project, project),
                      "bought": bool(r["elected"]), "cost": amount(t.get("cost"), unit, 2),
                      "votes": number(t.get("votes"), 2),
                      "price": amount(t.get("price_per_supporter"), unit, 2),
                      "rho": t.get("rho")})
    return steps


def explain(proposal, options, tally: dict) -> dict:
    """Everything the results page shows of a tally (stored or live)."""
    labels = {o.project_id: o.label for o in options} if proposal.kind == Kind.BUDGET else {}
    names = [o.label for o in options]
    details = tally.get("details", {})
    shown = {
        "passed": tally.get("passed"),
        "winners": tally.get("winners", []),
        "reasons": [reason_text(r, proposal.is_open) for r in tally.get("reasons", [])],
        "voters": tally.get("voters"), "members": tally.get("members"),
        "answers": _answers(tally),
        "tied": [[labels.get(n, n) for n in t] for t in tally.get("tied", [])],
        "rule": tally.get("rule", ""),
    }
    rule = tally.get("rule", "")
    if rule in (Rule.IRV, Rule.STV, "approval", "score"):
        shown["rounds"] = _rounds(tally, labels)
        shown["quota"] = number(details.get("quota"), 2)
    if "pairwise" in details:
        shown["names"] = names
        shown["pairwise"] = _table(details["pairwise"], names)
    if "strongest_paths" in details:
        shown["strongest"] = _table(details["strongest_paths"], names)
    if "locked" in details:
        shown["locked"] = details["locked"]
    if rule in (Rule.EQUAL_SHARES, Rule.GREEDY):
        unit = proposal.resource  # the budget's unit (money, goods or hours)
        shown["steps"] = _budget_steps(tally, labels, unit)
        shown["spent"] = amount(details.get("spent"), unit, 2)
        shown["limit"] = amount(details.get("limit"), unit, 2)
        shown["budget_per_voter"] = amount(details.get("budget_per_voter"), unit, 2)
    return shown


def ballot_text(choice: dict, options) -> str:
    """One ballot in words (for an open ballot's results)."""
    label = {o.position: o.label for o in options}
    if "answer" in choice:
        return str(ANSWER_NAMES.get(choice["answer"], choice["answer"]))
    if "ranking" in choice:
        return ", ".join(f"{k}. " + " = ".join(label[p] for p in tier)
                         for k, tier in enumerate(choice["ranking"], start=1))
    if "approved" in choice:
        return ", ".join(label[p] for p in choice["approved"])
    return ", ".join(f"{label[p]} {points}" for p, points in choice.get("scores", []))
