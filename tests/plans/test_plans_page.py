"""The plan page: every need not fully met reachable, what the plan promises against
one-request-at-a-time matching, and what every member may read of it."""

import re
from decimal import Decimal

import django.test
import pytest
from django.urls import reverse

from conftest import area
from sinfronteras.plans.models import PlanRun
from sinfronteras.plans.report import promises
from sinfronteras.plans.runs import do_request_run, execute_run


def make_plan(collective, who=None):
    run = execute_run(do_request_run(collective, who, enqueue=False).pk)
    assert run.status == "done", run.error
    return run


def listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="unmet-(\d+)"', page)}


@pytest.fixture
def sixty_unmet(la, alice, bob, carla, need_of):
    """Nobody offers diapers: 30 urgent basic needs (tier 1) in Boyle Heights and 30 basic
    ones (tier 2), half of them in Echo Park."""
    needs = [need_of(carla, "diapers", 2, urgent=True) for _ in range(30)]
    needs += [need_of(bob if i % 2 else carla, "diapers", 1) for i in range(30)]
    make_plan(la, alice)
    return needs


def test_every_need_not_fully_met_is_reachable_page_by_page(client, alice, sixty_unmet):
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert "Needs 1 to 25 of 60." in page and "And 35 more." in page
    seen, number = set(), 1
    while True:
        shown = listed(page)
        assert len(shown) <= 25 and not shown & seen
        seen |= shown
        if 'rel="next"' not in page:
            break
        number += 1
        page = client.get(reverse("plans:plan"), {"page": number}).content.decode()
    assert seen == {n.pk for n in sixty_unmet} and number == 3


def test_the_unmet_list_filters_by_tier_and_area_with_counts(client, la, alice, sixty_unmet):
    client.force_login(alice)
    echo = area(la, "Echo Park")
    page = client.get(reverse("plans:plan"), {"tier": "2"}).content.decode()
    assert "1. Basic and urgent (30)" in page and "2. Basic (30)" in page
    assert "Echo Park (15)" in page and "Boyle Heights (45)" in page
    assert "Needs 1 to 25 of 30." in page and "And 5 more." in page
    assert listed(page) <= {n.pk for n in sixty_unmet[30:]}
    # the next page keeps the filter
    assert 'href="?tier=2&amp;page=2#unmet-heading"' in page
    page = client.get(reverse("plans:plan"), {"tier": "2", "area": echo.pk}).content.decode()
    assert listed(page) == {n.pk for n in sixty_unmet[30:] if n.area_id == echo.pk}
    assert "Needs 1 to 15 of 15." in page and "more." not in page
    # nonsense in the query string shows everything, never an error
    page = client.get(reverse("plans:plan"), {"tier": "9", "area": "x", "page": "-4"})
    assert page.status_code == 200 and "of 60." in page.content.decode()


def test_promises_count_nothing_lowest_half_full_and_delivered_per_tier():
    needs = [{"id": "a", "quantity": 4}, {"id": "b", "quantity": 2}, {"id": "c", "quantity": 1}]
    result = promises(needs, [{"id": "a", "met": 2, "fraction": 0.5, "tier": 2},
                              {"id": "b", "met": 0, "fraction": 0.0, "tier": 2},
                              {"id": "c", "met": 1, "fraction": 1.0, "tier": 1}])
    assert result == {"1": {"needs": 1, "nothing": 0, "lowest": 1.0, "half": 1, "full": 1,
                            "delivered": 1.0},
                      "2": {"needs": 2, "nothing": 1, "lowest": 0.0, "half": 1, "full": 0,
                            "delivered": round(2 / 6, 4)}}


def test_the_comparison_shows_what_sharing_out_promises_and_says_why(client, la, alice, bob,
                                                                     carla, need_of, offer_of):
    # Two families need 4 kg each; one giver has 4 kg: the plan gives 2 and 2, one request
    # at a time gives 4 to the first and nothing to the second.
    need_of(carla, "food", 4, urgent=True)
    need_of(carla, "food", 4, urgent=True)
    offer_of(bob, ["food"], 4, radius_km=Decimal("30"))
    run = make_plan(la, alice)
    ours, theirs = run.summary["promises"]["plan"]["1"], run.summary["promises"]["greedy"]["1"]
    assert (ours["nothing"], ours["half"], ours["full"], ours["lowest"]) == (0, 2, 0, 0.5)
    assert (theirs["nothing"], theirs["half"], theirs["full"], theirs["lowest"]) == (1, 1, 1, 0.0)
    assert ours["delivered"] == theirs["delivered"] == 0.5
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    table = page.split('id="tier-table-1"', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'<tr class="line-(\w+)"><th scope="row">[^<]*</th><td>([^<]*)</td>', table))
    assert cells == {"nothing": "0", "lowest": "50%", "half": "2", "full": "0", "delivered": "50%"}
    assert 'id="why-fewer-fully-met"' in page and "whoever asked first" in page


def test_an_older_run_without_stored_promises_shows_dashes_not_an_error(client, la, alice):
    PlanRun.objects.create(collective=la, status="done", progress=100, summary={
        "plan": {"tiers": {"1": {"needs": 2, "fully_met": 1, "untouched": 1, "min_fraction": 0.0}},
                 "distance_km": 3}, "greedy": {"tiers": {}}})
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert '<tr class="line-half"><th scope="row">Given at least half</th><td>—</td>' in page


def test_every_member_reads_the_summary_and_the_decisions_titles_but_no_names(
        client, la, alice, bob, carla, need_of, offer_of):
    from datetime import timedelta

    from django.utils import timezone

    from sinfronteras.assembly.models import Decision, Proposal

    now = timezone.now()
    proposal = Proposal.objects.create(collective=la, author=alice, title="Diapers are basic",
                                       kind="consent", opens_at=now - timedelta(days=3),
                                       closes_at=now - timedelta(days=1), status="closed")
    decision = Decision.objects.create(proposal=proposal, passed=True, voters=3, members=3)
    need_of(carla, "diapers", 3, urgent=True)
    run = make_plan(la, alice)
    PlanRun.objects.filter(pk=run.pk).update(decisions=[decision.pk])
    client.force_login(bob)
    response = client.get(reverse("plans:plan"))
    assert response.status_code == 200
    page = response.content.decode()
    main = page.split("<main>", 1)[1].split("</main>", 1)[0]
    link = reverse("assembly:results", args=[proposal.pk])
    assert f'<a href="{link}">Diapers are basic</a>' in main and "#1" not in main
    assert 'id="tier-table-1"' in main and "3 packs of Diapers short in Boyle Heights" in main
    assert "Carla" not in main and "Alice" not in main
    assert 'id="unmet"' not in main and reverse("plans:run") not in main


def test_the_menu_shows_plan_to_members_and_to_a_coordinator_only_after_the_second_factor(
        client, la, alice, bob):
    client.force_login(bob)
    assert 'href="/plan/"' in client.get(reverse("home")).content.decode()
    unverified = django.test.Client()
    unverified.force_login(alice)  # logged in, no second factor yet
    page = unverified.get(reverse("second_factor")).content.decode()
    assert 'href="/plan/"' not in page
    client.force_login(alice)
    assert 'href="/plan/"' in client.get(reverse("home")).content.decode()


def test_the_examples_in_the_reports_docstrings_run():
    import doctest

    from sinfronteras.plans import report

    result = doctest.testmod(report)
    assert result.attempted and result.failed == 0
