"""The demo collective's decisions: open votes to try, and one passed decision that changed the plan.

Called at the end of the demo loader, inside its transaction, with its seeded
random generator, so the same seed gives the same proposals and ballots. Each proposal is
written in its author's language, as a member writes one: Spanish pages of the demo read
Spanish, but for what the English-speaking coordinator proposed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .models import BallotMode, Change, Kind, Option, Proposal, Rule
from .services import do_close, do_vote


def _proposal(collective, author, options=(), **fields) -> Proposal:
    now = timezone.now()
    fields.setdefault("closes_at", now + timedelta(days=5))
    proposal = Proposal.objects.create(collective=collective, author=author, opens_at=now, **fields)
    Option.objects.bulk_create([
        Option(proposal=proposal, position=k, label=label, cost=cost, area=area)
        for k, (label, cost, area) in enumerate(options)])
    return proposal


def said(member, english: str, spanish: str) -> str:
    """What ``member`` writes: in Spanish if that is their language, else in English."""
    return spanish if (member.language or "").startswith("es") else english


def _votes(proposal, voters, choose) -> None:
    for member in voters:
        do_vote(member, proposal, choose())


def load_demo_proposals(collective, rng) -> list[Proposal]:
    members = list(collective.members.filter(is_organisation=False).order_by("pk"))  # people vote
    if len(members) < 4:
        return []
    by_name = {m.username: m for m in members}
    ana = by_name.get("ana") or members[0]
    luz = by_name.get("luz") or members[1]
    vero = by_name.get("vero") or members[2]
    sample = lambda share: rng.sample(members, max(3, int(len(members) * share)))  # noqa: E731
    areas = list(collective.areas.order_by("name"))

    # Decided first: the members asked a tenth of them to vote, not a quarter (the default).
    quorum = _proposal(collective, luz,
                       title=said(luz, "Ask a tenth of us to vote, not a quarter",
                                  "Pedir que vote una décima parte, no una cuarta"),
                       body=said(luz, "Hundreds of us vote online: a quarter is more than ever "
                                      "take part.",
                                 "Cientos votamos en línea: una cuarta parte es más de la que "
                                 "nunca participa."),
                       kind=Kind.MAJORITY, quorum=collective.default_quorum,
                       change=Change.QUORUM, change_value=Decimal("10"))
    _votes(quorum, sample(0.3), lambda: {"answer": rng.choice(["yes", "yes", "yes", "no", "abstain"])})
    now = timezone.now()
    Proposal.objects.filter(pk=quorum.pk).update(opens_at=now - timedelta(days=14),
                                                 closes_at=now - timedelta(days=9))
    do_close(quorum, now=now - timedelta(days=9))

    consent = _proposal(collective, luz,
                        title=said(luz, "Open the Saturday pantry at 9 instead of 10",
                                   "Abrir la despensa del sábado a las 9 en vez de a las 10"),
                        body=said(luz, "Families with work shifts ask for an earlier start.",
                                  "Las familias con turnos de trabajo piden empezar antes."),
                        kind=Kind.CONSENT, quorum=Decimal("0.25"))
    _votes(consent, sample(0.12),
           lambda: {"answer": rng.choice(["agree", "agree", "agree", "abstain", "disagree"])})

    places = [a.name for a in rng.sample(areas, min(4, len(areas)))]
    ranked = _proposal(collective, vero, [(name, None, None) for name in places],
                       title=said(vero, "Where should the next food drive be?",
                                  "¿Dónde hacemos la próxima colecta de comida?"),
                       kind=Kind.RANKED,
                       rule=Rule.SCHULZE, quorum=Decimal("0.10"), hide_results=False)
    _votes(ranked, sample(0.15), lambda: {"ranking": [[p] for p in rng.sample(range(len(places)), 3)]})

    setting = _proposal(collective, ana,
                        title=said(ana, "Keep fulfilled needs 14 days, not 7",
                                   "Guardar 14 días las necesidades cubiertas, no 7"),
                        body=said(ana, "Two weeks lets volunteers confirm deliveries before the "
                                       "records go.",
                                  "Dos semanas dan tiempo a confirmar las entregas antes de que "
                                  "se borren los registros."),
                        kind=Kind.MAJORITY, quorum=Decimal("0.20"), ballot_mode=BallotMode.OPEN,
                        change=Change.RETENTION, change_value=Decimal("14"))
    _votes(setting, sample(0.3), lambda: {"answer": rng.choice(["yes", "yes", "yes", "no", "abstain"])})
    now = timezone.now()
    Proposal.objects.filter(pk=setting.pk).update(opens_at=now - timedelta(days=9),
                                                  closes_at=now - timedelta(days=2))
    do_close(setting, now=now - timedelta(days=2))

    childcare = collective.resources.filter(key="childcare").first()
    budget = None
    if childcare is not None and areas:
        author = by_name.get("marcus", ana)
        projects = [(said(author, "Homework club", "Club de tareas"), Decimal("24"), areas[0]),
                    (said(author, "Court-day childcare", "Cuidado de niños en días de juzgado"),
                     Decimal("16"), areas[-1]),
                    (said(author, "Saturday playgroup", "Juegos del sábado"), Decimal("20"),
                     areas[len(areas) // 2]),
                    (said(author, "Childcare at the rally", "Cuidado de niños en el mitin"),
                     Decimal("8"), areas[1 % len(areas)])]
        budget = _proposal(collective, author, projects,
                           title=said(author, "Share 40 hours of childcare among projects",
                                      "Repartir 40 horas de cuidado de niños entre proyectos"),
                           kind=Kind.BUDGET,
                           rule=Rule.EQUAL_SHARES, resource=childcare, budget=Decimal("40"),
                           quorum=Decimal("0.10"), hide_results=False)
        _votes(budget, sample(0.15),
               lambda: {"approved": sorted(rng.sample(range(len(projects)), rng.randint(1, 3)))})
    return [p for p in (quorum, consent, ranked, setting, budget) if p is not None]
