"""Instant runoff and STV, counted incrementally: polynomial at any size.

Each ballot points at its top continuing tier. Removing a candidate (elected or
eliminated) moves only the ballots whose current tier held it, so a whole count
touches every ranked position of every ballot about once: 379 candidates and
36,655 ballots count in well under a second.

A ballot whose top continuing tier holds several candidates counts for none of
them (an overvote, as in Burlington's published count and in pref_voting); once
all but one of that tier are out, it counts for the one left.

Ties. When several candidates share the fewest votes, the one **last** in the
tie-break order is eliminated, and the round says so in words: "a tie among 212
candidates with 0 votes was broken by ...". The set of every winner under every
order of breaking ties (parallel-universe tie-breaking) is exponential in
general; it is computed only within a work budget, and ``details`` says when it
was not computed.

Examples
--------
>>> from .model import RankedProfile
>>> p = RankedProfile(("a", "b", "c", "d"), (((0,),), ((1,),)), (2, 2))
>>> r = instant_runoff(p)
>>> r.winners, r.rounds[0].note
(('a',), 'a tie among 2 candidates with 0 votes was broken by the tie-break order (the candidate order of the file): d is eliminated, as last in that order')
"""

from __future__ import annotations

from fractions import Fraction
from itertools import permutations

from .model import RankedProfile, Result, Round, exact, tie_order, tie_rank

#: Work budget for every-winner searches: ballot positions and candidates over all states tried.
EVERY_WINNER_WORK = 1_000_000


class Pointers:
    """Where each ballot counts now, updated where a removed candidate sat.

    ``tally[c]`` is the weight of the ballots whose top continuing tier is ``c``
    alone. ``weight`` may be scaled (STV surplus) before removing a candidate.
    """

    def __init__(self, ballots, weights, m: int, active=None):
        self.ballots = ballots
        self.weight = list(weights)
        self.active = [True] * m if active is None else list(active)
        self.tier = [0] * len(ballots)
        self.live = [0] * len(ballots)
        self.watch: list[list[int]] = [[] for _ in range(m)]
        zero = self.weight[0] * 0 if self.weight else 0
        self.tally = [zero] * m
        for k in range(len(ballots)):
            self._settle(k, 0)

    def _settle(self, k: int, t: int) -> None:
        ballot, active = self.ballots[k], self.active
        while t < len(ballot):
            live = [c for c in ballot[t] if active[c]]
            if live:
                self.tier[k], self.live[k] = t, len(live)
                for c in live:
                    self.watch[c].append(k)
                if len(live) == 1:
                    self.tally[live[0]] += self.weight[k]
                return
            t += 1
        self.tier[k], self.live[k] = len(ballot), 0

    def counting_for(self, c: int) -> list[int]:
        """Ballots that count for ``c`` now."""
        return [k for k in self.watch[c] if self.live[k] == 1]

    def overvoted(self) -> set[int]:
        """Continuing candidates that sit in some ballot's top tier beside another."""
        return {c for c in range(len(self.watch)) if self.active[c] and any(self.live[k] > 1 for k in self.watch[c])}

    def remove(self, c: int) -> None:
        """Take ``c`` out of the count; its ballots move on."""
        self.active[c] = False
        for k in self.watch[c]:
            if self.live[k] == 1:
                self.tally[c] -= self.weight[k]
                self._settle(k, self.tier[k] + 1)
            else:
                self.live[k] -= 1
                if self.live[k] == 1:
                    left = next(x for x in self.ballots[k][self.tier[k]] if self.active[x])
                    self.tally[left] += self.weight[k]
        self.watch[c] = []


def _order_source(tie_break) -> str:
    return "the order given" if tie_break else "the candidate order of the file"


def tie_note(size: int, votes, loser: str, tie_break) -> str:
    """The words for a tie for last broken by the tie-break order."""
    return (f"a tie among {size} candidates with {exact(votes)} vote{'' if votes == 1 else 's'} was broken by "
            f"the tie-break order ({_order_source(tie_break)}): {loser} is eliminated, as last in that order")


def _sure_to_go(active, tally, over) -> set[int]:
    """Candidates that every order of elimination removes before any other.

    The lowest candidates ``K`` (none of them in an overvoted tier) whose votes
    together are fewer than the next candidate's: votes only move among ``K``
    or out of it, so each of ``K`` stays below everyone else until all are
    gone, and the count then stands in the same place whatever the order.
    Candidates with no vote that sit in no ballot's top tier go too (removing
    them changes nothing), as long as someone has a vote.
    """
    order = sorted(active, key=lambda c: tally[c])
    best, running = 0, 0
    for k in range(len(order) - 1):
        if order[k] in over:
            break
        running += tally[order[k]]
        if running < tally[order[k + 1]]:
            best = k + 1
    out = set(order[:best])
    if tally[order[-1]] > 0:
        out |= {c for c in active if tally[c] == 0 and c not in over}
    return out if len(out) > 1 else set()


def _irv_every_winner(profile: RankedProfile, rank, work: int = EVERY_WINNER_WORK) -> set[int] | None:
    """Every winner under every order of eliminating tied candidates; None past ``work``.

    Iterative search over sets of continuing candidates; where a group of
    candidates is sure to go whatever the order (:func:`_sure_to_go`), it goes
    in one step.
    """
    m = len(profile.candidates)
    size = m + sum(len(t) for b in profile.ballots for t in b)
    stack, seen, winners, spent = [frozenset(range(m))], set(), set(), 0
    while stack:
        active = stack.pop()
        if active in seen:
            continue
        seen.add(active)
        spent += size
        if spent > work:
            return None
        mask = [c in active for c in range(m)]
        count = Pointers(profile.ballots, profile.counts, m, mask)
        tally = count.tally
        total = sum(tally[c] for c in active)
        top = max(active, key=lambda c: (tally[c], -rank[c]))
        if len(active) == 1 or 2 * tally[top] > total:
            winners.add(top)
            continue
        low = min(tally[c] for c in active)
        last = [c for c in active if tally[c] == low]
        if len(last) > 1:
            batch = _sure_to_go(active, tally, count.overvoted())
            if batch:
                stack.append(active - batch)
                continue
        stack.extend(active - {c} for c in last)
    return winners


def instant_runoff(profile: RankedProfile, *, seats: int = 1, tie_break=None, every_winner: bool = True) -> Result:
    """Instant runoff: drop the candidate with fewest first choices until one has a majority.

    A majority is more than half of the ballots still counting. A tie for last
    eliminates the candidate last in the tie-break order, and the round's note
    says how many were tied and with how many votes. ``tied`` lists every
    winner reachable by some order of elimination when that was cheap to find;
    ``details["every_winner"]`` says whether it was computed.

    Examples
    --------
    >>> p = RankedProfile(("a", "b", "c"), (((0,),), ((1,), (2,)), ((2,),)), (4, 2, 3))
    >>> r = instant_runoff(p); r.winners, [x.eliminated for x in r.rounds]
    (('c',), [('b',), ()])
    """
    if seats != 1:
        raise ValueError("irv elects one candidate; use stv for several seats")
    names = profile.candidates
    rank = tie_rank(names, tie_break)
    count = Pointers(profile.ballots, profile.counts, len(names))
    active = set(range(len(names)))
    rounds, had_tie, winner = [], False, None
    while active:
        tally = count.tally
        total = sum(tally[c] for c in active)
        order = sorted(active, key=lambda c: (-tally[c], rank[c]))
        shown = {names[c]: exact(tally[c]) for c in order}
        top = order[0]
        if len(active) == 1 or 2 * tally[top] > total:
            winner = top
            rounds.append(Round(len(rounds) + 1, shown, elected=(names[top],)))
            break
        low = tally[order[-1]]
        last = [c for c in order if tally[c] == low]
        out = max(last, key=lambda c: rank[c])
        note = tie_note(len(last), low, names[out], tie_break) if len(last) > 1 else ""
        had_tie |= len(last) > 1
        rounds.append(Round(len(rounds) + 1, shown, eliminated=(names[out],), note=note))
        count.remove(out)
        active.discard(out)
    tied: tuple = ()
    details: dict = {}
    if had_tie:
        every = _irv_every_winner(profile, rank) if every_winner else None
        if every is None:
            details["every_winner"] = ("not computed: too many orders of breaking the ties to try them all; "
                                       "the winner is the one the tie-break order gives")
        else:
            details["every_winner"] = "computed: " + ", ".join(names[c] for c in sorted(every, key=lambda c: rank[c]))
            if len(every) > 1:
                tied = tuple((names[c],) for c in sorted(every, key=lambda c: rank[c]))
    return Result("irv", (names[winner],) if winner is not None else (), tied, tuple(rounds), details)


def droop_quota(valid: int, seats: int) -> int:
    """floor(valid / (seats + 1)) + 1.

    >>> droop_quota(100, 2)
    34
    """
    return valid // (seats + 1) + 1


def _stv_count(profile, seats, rank, tie_break=None):
    """One STV count; returns (elected, rounds, had_tie)."""
    names = profile.candidates
    quota = droop_quota(profile.num_voters, seats)
    count = Pointers(profile.ballots, [Fraction(c) for c in profile.counts], len(names))
    active, elected, rounds, had_tie = set(range(len(names))), [], [], False
    while active and len(elected) < seats:
        tally = count.tally
        order = sorted(active, key=lambda c: (-tally[c], rank[c]))
        shown = {names[c]: exact(tally[c]) for c in order}
        if len(elected) + len(active) <= seats:
            elected += order
            rounds.append(Round(len(rounds) + 1, shown, tuple(names[c] for c in order),
                                note="as many seats as candidates left"))
            break
        if tally[order[0]] >= quota:
            c = order[0]
            had_tie |= sum(tally[x] == tally[c] for x in active) > 1
            ratio = (tally[c] - quota) / tally[c]
            for k in count.counting_for(c):
                count.weight[k] *= ratio
            elected.append(c)
            rounds.append(Round(len(rounds) + 1, shown, (names[c],),
                                note=f"quota {quota}; surplus {exact(tally[c] - quota)} transferred"))
        else:
            low = tally[order[-1]]
            last = [x for x in order if tally[x] == low]
            had_tie |= len(last) > 1
            c = max(last, key=lambda x: rank[x])
            note = f"quota {quota}" + ("; " + tie_note(len(last), low, names[c], tie_break) if len(last) > 1 else "")
            rounds.append(Round(len(rounds) + 1, shown, eliminated=(names[c],), note=note))
        count.remove(c)
        active.discard(c)
    return tuple(names[c] for c in elected), rounds, had_tie


def single_transferable_vote(profile: RankedProfile, *, seats: int = 1, tie_break=None) -> Result:
    """STV with the Droop quota and fractional (Gregory) surplus transfer.

    Each round elects the leading candidate if they reach the quota, passing on
    the surplus share of every ballot that counted for them; otherwise the
    candidate with fewest votes is eliminated and their ballots pass on whole.
    When the tie-break decided, ``tied`` lists the outcomes under every order
    of the candidates (up to 5 candidates; otherwise ``details["every_outcome"]``
    says it was not computed).

    Examples
    --------
    >>> p = RankedProfile(("a", "b", "c"), (((0,), (1,)), ((2,),)), (7, 2))
    >>> single_transferable_vote(p, seats=2).winners
    ('a', 'b')
    """
    if seats < 1:
        raise ValueError("seats must be at least 1")
    names = profile.candidates
    order = tie_order(names, tie_break)
    elected, rounds, had_tie = _stv_count(profile, seats, tie_rank(names, order), tie_break)
    tied: tuple = ()
    details: dict = {"quota": droop_quota(profile.num_voters, seats), "seats": seats}
    if had_tie and len(names) <= 5:
        outs = {tuple(sorted(_stv_count(profile, seats, tie_rank(names, perm))[0])) for perm in permutations(order)}
        tied = tuple(sorted(outs)) if len(outs) > 1 else ()
    elif had_tie:
        details["every_outcome"] = "not computed: more than 5 candidates; the tie-break order decided"
    return Result("stv", elected, tied, tuple(rounds), details)
