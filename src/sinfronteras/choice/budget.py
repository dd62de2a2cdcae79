"""Participatory budgeting: the Method of Equal Shares (add1) and greedy by votes.

Method of Equal Shares (Peters, Pierczyński, Skowron 2021) with cost utilities:
each voter gets an equal share ``b`` of the budget; a project is bought when its
supporters can pay its cost, and each round buys the project whose supporters pay
the least per unit of utility (``rho``), the poorest supporters giving all they
have left and the others the same amount ``p = rho * cost``. "add1" completion:
start with ``b = limit / voters``, and while the outcome leaves room for another
supported project, raise every voter's ``b`` by one unit and count again; stop at
the first outcome that fills the budget, or return the last one that fit when an
outcome would overspend (the convention of pabutools and equalshares.net).

Counting is exact: a fast float count is trusted only where no comparison it
made was within 1e-9 of a tie; otherwise that count is redone in fractions.

Examples
--------
>>> b = Budget((Project("1", Fraction(60)), Project("2", Fraction(40)), Project("3", Fraction(50))),
...            Fraction(100), (frozenset({0}), frozenset({0, 1}), frozenset({2}), frozenset({1})))
>>> equal_shares_add1(b).winners, greedy(b).winners
(('1', '2'), ('1', '2'))
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .model import Budget, Project, Result, Round, exact, tie_rank

EPS = 1e-9


def default_tie_break(budget: Budget) -> tuple[str, ...]:
    """Project ids sorted as text (the Pabulib and pabutools convention)."""
    return tuple(sorted(budget.candidates))


def _groups(budget: Budget) -> tuple[list[frozenset[int]], list[int]]:
    """Voters with the same approvals, merged: (approval sets, how many voters)."""
    seen: dict[frozenset[int], int] = {}
    for ballot in budget.approvals:
        seen[ballot] = seen.get(ballot, 0) + 1
    return list(seen), list(seen.values())


def _mes_exact(budget: Budget, sets, weights, b0: Fraction, rank) -> list[tuple[int, Fraction, Fraction]]:
    """One exact MES count at ``b0`` per voter: [(project, rho, payment p)] in order."""
    costs = [p.cost for p in budget.projects]
    support = {c: [g for g, s in enumerate(sets) if c in s] for c in range(len(costs))}
    left = {c for c, gs in support.items() if gs and costs[c] > 0}
    money = [Fraction(b0)] * len(sets)
    steps = []
    while left:
        best = None
        for c in sorted(left):
            gs = sorted(support[c], key=lambda g: money[g])
            if sum(weights[g] * money[g] for g in gs) < costs[c]:
                left.discard(c)
                continue
            paid, heads = Fraction(0), sum(weights[g] for g in gs)
            for g in gs:
                p = (costs[c] - paid) / heads
                if p <= money[g]:
                    break
                paid += weights[g] * money[g]
                heads -= weights[g]
            key = (p / costs[c], rank[c])
            if best is None or key < best[0]:
                best = (key, c, p)
        if best is None:
            break
        (rho, _), c, p = best
        for g in support[c]:
            money[g] -= min(money[g], p)
        left.discard(c)
        steps.append((c, rho, p))
    return steps


def _water(cost: Fraction, money, counts) -> Fraction | None:
    """Exact price ``p`` each supporter pays at most (None when they cannot afford it)."""
    pairs = sorted((money[k], int(counts[k])) for k in range(len(money)) if counts[k])
    if sum(b * w for b, w in pairs) < cost:
        return None
    paid, heads = Fraction(0), sum(w for _, w in pairs)
    for b, w in pairs:
        p = (cost - paid) / heads
        if p <= b:
            return p
        paid += b * w
        heads -= w
    return None


class _Exact:
    """Exact class budgets, replayed from the float count only when a near-tie needs them."""

    def __init__(self, costs, b0: Fraction):
        self.costs, self.money, self.pending = costs, [Fraction(b0)], []

    def sync(self) -> list[Fraction]:
        for c, counts, key, remap, size in self.pending:
            p = _water(self.costs[c], self.money, counts)
            old = self.money
            new = [Fraction(0)] * size
            for k in range(len(old)):
                if remap[2 * k] >= 0:
                    new[remap[2 * k]] = old[k]
                if remap[2 * k + 1] >= 0:
                    new[remap[2 * k + 1]] = old[k] - min(old[k], p)
            self.money = new
        self.pending = []
        return self.money


def _mes_float(costs, approve, weights, b0: Fraction, rank, usable, exact_costs):
    """One MES count over classes of voters that paid for the same projects.

    Floats decide; any comparison within EPS of a tie is decided in fractions.
    ``approve`` is an (m, G) 0/1 matrix over voter groups with ``weights`` voters.
    """
    m = approve.shape[0]
    cls = np.zeros(approve.shape[1], dtype=np.int64)
    money, ex = np.array([float(b0)]), _Exact(exact_costs, b0)
    left, steps, wa = usable.copy(), [], approve * weights
    while left.any():
        k = len(money)
        cnt = np.zeros((m, k))
        for c in np.flatnonzero(left):
            cnt[c] = np.bincount(cls, weights=wa[c], minlength=k)
        order = np.argsort(money, kind="stable")
        b, w = money[order], cnt[:, order]
        cw, cm = np.cumsum(w, axis=1), np.cumsum(w * b, axis=1)
        avail = cm[:, -1]
        for c in np.flatnonzero(left & (np.abs(avail - costs) <= EPS * costs)):
            exact_money = ex.sync()
            avail[c] = costs[c] if _water(exact_costs[c], exact_money, cnt[c]) is not None else -1.0
        left &= avail >= costs
        if not left.any():
            break
        paid_below = np.hstack([np.zeros((m, 1)), cm[:, :-1]])
        heads = cw[:, -1:] - np.hstack([np.zeros((m, 1)), cw[:, :-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            p_at = (costs[:, None] - paid_below) / heads
        ok = (p_at <= b * (1 + EPS)) & (heads > 0)
        p = p_at[np.arange(m), np.argmax(ok, axis=1)]
        rho = np.where(left, p / costs, np.inf)
        near = np.flatnonzero(rho <= rho.min() * (1 + EPS))
        if len(near) > 1:
            exact_money = ex.sync()
            c = min(near, key=lambda x: (_water(exact_costs[x], exact_money, cnt[x]) / exact_costs[x], rank[x]))
        else:
            c = int(near[0])
        steps.append((int(c), float(rho[c]), float(p[c])))
        left[c] = False
        pay = np.where(approve[c] > 0, np.minimum(money[cls], p[c]), 0.0)
        key = cls * 2 + (approve[c] > 0)
        present = np.zeros(2 * k, dtype=bool)
        present[key] = True
        remap = np.where(present, np.cumsum(present) - 1, -1)
        new_money = np.zeros(int(present.sum()))
        new_money[remap[key]] = money[cls] - pay
        ex.pending.append((int(c), cnt[c].copy(), None, remap, len(new_money)))
        cls, money = remap[key], new_money
    return steps


def _add1_runs(budget: Budget, rank):
    """Yield (b0, steps) for b0 = limit/n, limit/n + 1, ... (fast path, exact fallback)."""
    sets, weights = _groups(budget)
    m = len(budget.projects)
    approve = np.zeros((m, len(sets)))
    for g, s in enumerate(sets):
        approve[list(s), g] = 1.0
    costs = np.array([float(p.cost) for p in budget.projects])
    usable = (approve.sum(axis=1) > 0) & (costs > 0)
    w = np.array(weights, dtype=float)
    exact_costs = [p.cost for p in budget.projects]
    b0 = budget.limit / budget.num_voters
    while True:
        yield b0, _mes_float(costs, approve, w, b0, rank, usable, exact_costs), usable
        b0 += 1


def _add1_runs_exact(budget: Budget, rank):
    """The same counts, all in fractions (slow; the reference the tests compare with)."""
    sets, weights = _groups(budget)
    usable = [any(c in s for s in sets) and p.cost > 0 for c, p in enumerate(budget.projects)]
    b0 = budget.limit / budget.num_voters
    while True:
        steps = _mes_exact(budget, sets, weights, b0, rank)
        yield b0, steps, usable
        b0 += 1


def equal_shares_add1(budget: Budget, *, seats: int = 1, tie_break=None, in_fractions: bool = False) -> Result:
    """Method of Equal Shares, cost utilities, completed by add1 (see module notes).

    ``rounds`` are the purchases of the final count: each with the price ``p``
    each supporter paid at most and ``rho`` (= p / cost). ``in_fractions=True`` counts
    everything in fractions (slow; the default is as exact in its decisions but
    computes prices in floats). ``details`` gives the
    budget per voter that was used and how many counts add1 took.

    Examples
    --------
    >>> b = Budget((Project("a", Fraction(3)), Project("b", Fraction(3))), Fraction(4),
    ...            (frozenset({0}), frozenset({0}), frozenset({1})))
    >>> r = equal_shares_add1(b); r.winners, r.details["budget_per_voter"]
    (('a',), '7/3')
    """
    approval_only(budget, "mes-add1")
    if budget.num_voters == 0:
        return Result("mes-add1", ())
    names = budget.candidates
    rank = tie_rank(names, tie_break, default_tie_break(budget))
    runs = _add1_runs_exact(budget, rank) if in_fractions else _add1_runs(budget, rank)
    plain, _, counts = _add1_outcomes(budget, runs, raise_to_overspend=False)
    return _mes_result("mes-add1", budget, plain, {"counts": counts})


def _add1_outcomes(budget: Budget, runs, raise_to_overspend: bool):
    """(plain add1 outcome, last outcome before an overspend or None, counts), each (b0, steps, spent).

    Plain add1 stops at the first outcome that leaves no room for another
    supported project, or before one that overspends. With
    ``raise_to_overspend`` the budget per voter keeps rising past that, while
    the next outcome still fits and can still change.
    """
    costs = [p.cost for p in budget.projects]
    plain = last = None
    counts = 0
    for b0, steps, usable in runs:
        counts += 1
        chosen = {c for c, _, _ in steps}
        spent = sum((costs[c] for c in chosen), Fraction(0))
        if spent > budget.limit:
            break
        last = (b0, steps, spent)
        room = budget.limit - spent
        if plain is None and not any(usable[c] and c not in chosen and costs[c] <= room for c in range(len(costs))):
            plain = last
            if not raise_to_overspend:
                break
        if all(c in chosen for c in range(len(costs)) if usable[c]):
            break  # every supported project is in: raising changes nothing more
    return plain or last, last, counts


def _mes_result(rule: str, budget: Budget, outcome, details: dict) -> Result:
    names, costs = budget.candidates, [p.cost for p in budget.projects]
    b0, steps, spent = outcome
    rounds = tuple(
        Round(k + 1, {"rho": exact(rho) if isinstance(rho, Fraction) else round(rho, 9),
                      "price_per_supporter": exact(p) if isinstance(p, Fraction) else round(p, 6),
                      "cost": exact(costs[c])}, (names[c],))
        for k, (c, rho, p) in enumerate(steps)
    )
    details = {"budget_per_voter": exact(b0), **details, "spent": exact(spent), "limit": exact(budget.limit)}
    return Result(rule, tuple(names[c] for c, _, _ in steps), (), rounds, details)


def equal_shares_add1_comparison(budget: Budget, *, seats: int = 1, tie_break=None) -> Result:
    """Equal Shares, add1, then compared (Pabulib ``equalshares/add1-comparison``, Wieliczka 2023).

    Two outcomes: plain add1 (:func:`equal_shares_add1`), and the outcome with
    the budget per voter raised by one unit at a time for as long as the next
    step does not overspend. Each voter supports the one that spends more on
    projects they approve (cost utilities; a voter who gains the same from
    both supports neither); the one with more supporters is chosen, plain add1
    on a tie. ``details["comparison"]`` gives both outcomes and their supporters.

    Examples
    --------
    >>> b = Budget((Project("a", Fraction(3)), Project("b", Fraction(3))), Fraction(4),
    ...            (frozenset({0}), frozenset({0}), frozenset({1})))
    >>> equal_shares_add1_comparison(b).winners
    ('a',)
    """
    approval_only(budget, "mes-add1-comparison")
    if budget.num_voters == 0:
        return Result("mes-add1-comparison", ())
    rank = tie_rank(budget.candidates, tie_break, default_tie_break(budget))
    plain, raised, counts = _add1_outcomes(budget, _add1_runs(budget, rank), raise_to_overspend=True)
    costs = [p.cost for p in budget.projects]
    a = {c for c, _, _ in plain[1]}
    b = {c for c, _, _ in raised[1]}
    for_plain = for_raised = 0
    for ballot in budget.approvals:
        gain_a = sum((costs[c] for c in ballot & a), Fraction(0))
        gain_b = sum((costs[c] for c in ballot & b), Fraction(0))
        for_plain += gain_a > gain_b
        for_raised += gain_b > gain_a
    chosen = raised if for_raised > for_plain else plain
    ids = lambda out: [budget.candidates[c] for c, _, _ in out[1]]  # noqa: E731
    comparison = {"add1": ids(plain), "add1_supporters": for_plain, "raised": ids(raised),
                  "raised_budget_per_voter": exact(raised[0]), "raised_supporters": for_raised,
                  "chosen": "raised" if chosen is raised else "add1"}
    return _mes_result("mes-add1-comparison", budget, chosen, {"counts": counts, "comparison": comparison})


class VoteTypeError(ValueError):
    """A rule that cannot count this kind of ballot; the message names the rule to use."""


def approval_only(budget: Budget, rule: str) -> None:
    """Refuse ballots with points: Equal Shares here counts approvals (cost utilities)."""
    if budget.vote_type not in ("approval", "choose-1"):
        raise VoteTypeError(f"{rule} counts approval ballots, and this file's votes are {budget.vote_type} "
                            "(points per project): use greedy, which ranks projects by points")


def project_votes(budget: Budget) -> list[int]:
    """How many voters approve each project."""
    votes = [0] * len(budget.projects)
    for ballot in budget.approvals:
        for c in ballot:
            votes[c] += 1
    return votes


def project_points(budget: Budget) -> list[Fraction]:
    """Total points of each project (ballots with points: ordinal, cumulative, scoring)."""
    total = [Fraction(0)] * len(budget.projects)
    for ballot in budget.points:
        for c, x in ballot:
            total[c] += x
    return total


def _greedy_variant(budget: Budget, skip, threshold) -> tuple[bool, Fraction]:
    rule = budget.meta.get("rule", "greedy")
    if skip is None:
        skip = rule != "greedy-no-skip"
    if threshold is None:
        given = budget.meta.get("min_project_score_threshold", "") if rule == "greedy-threshold" else ""
        threshold = Fraction(given.replace(",", ".")) if given.strip() else Fraction(0)
    return skip, Fraction(threshold)


def greedy(budget: Budget, *, seats: int = 1, tie_break=None, skip: bool | None = None, threshold=None) -> Result:
    """Greedy: the most supported project first, each bought if it still fits the budget.

    Support is **points** where the ballots carry points (ordinal, cumulative,
    scoring: the Pabulib ``score`` column) and **voters** otherwise (approval,
    choose-1). Projects nobody supports are never bought. A tie goes to the
    project with more voters, then by the tie-break order (default: project ids
    as text). Variants, read from the file's ``rule`` unless given:
    ``skip=False`` stops at the first project that does not fit
    (``greedy-no-skip``); ``threshold`` leaves out projects whose support is
    below it (``greedy-threshold`` with ``min_project_score_threshold``).

    Examples
    --------
    >>> b = Budget((Project("a", Fraction(7)), Project("b", Fraction(5)), Project("c", Fraction(3))),
    ...            Fraction(10), (frozenset({0, 1}), frozenset({0}), frozenset({1, 2})))
    >>> [(r.elected, r.note) for r in greedy(b).rounds]
    [(('a',), 'bought'), ((), 'does not fit: 3 left'), (('c',), 'bought')]
    >>> greedy(b, skip=False).winners
    ('a',)
    """
    names = budget.candidates
    rank = tie_rank(names, tie_break, default_tie_break(budget))
    votes = project_votes(budget)
    by_points = bool(budget.points) or budget.vote_type in ("ordinal", "cumulative", "scoring")
    support = project_points(budget) if by_points else [Fraction(v) for v in votes]
    skip, threshold = _greedy_variant(budget, skip, threshold)
    order = sorted((c for c in range(len(names)) if support[c] > 0), key=lambda c: (-support[c], -votes[c], rank[c]))
    room, winners, rounds, stopped = budget.limit, [], [], False
    for c in order:
        cost = budget.projects[c].cost
        tally = {"points" if by_points else "votes": exact(support[c]), "cost": exact(cost)}
        if by_points:
            tally["votes"] = votes[c]
        if support[c] < threshold:
            rounds.append(Round(len(rounds) + 1, tally, note=f"below the threshold of {exact(threshold)}"))
        elif stopped:
            note = "not reached: the count stopped at a project that did not fit"
            rounds.append(Round(len(rounds) + 1, tally, note=note))
        elif cost <= room:
            room -= cost
            winners.append(names[c])
            rounds.append(Round(len(rounds) + 1, tally, (names[c],), note="bought"))
        else:
            rounds.append(Round(len(rounds) + 1, tally, note=f"does not fit: {exact(room)} left"))
            stopped = not skip
    variant = ("greedy" if skip else "greedy-no-skip") + (f", threshold {exact(threshold)}" if threshold else "")
    details = {"spent": exact(budget.limit - room), "limit": exact(budget.limit),
               "ranked_by": "points" if by_points else "voters", "variant": variant}
    return Result("greedy", tuple(winners), (), tuple(rounds), details)
