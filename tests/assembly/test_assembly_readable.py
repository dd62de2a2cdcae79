"""Results in words people read, one's own ballot after voting, withdrawing apart from voting
(with a confirmation, no script), and a budget's bad line that is easy to find and to fix."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from assembly_helpers import end_window, proposal_data, propose, rank, vote_all
from sinfronteras.assembly.models import Proposal, Status
from sinfronteras.assembly.results import reason_text
from sinfronteras.web.formats import amount, number, whole


def test_numbers_are_rounded_for_reading_in_each_language():
    with translation.override("en"):
        # results round a tally to two places, with the site's one amount writer
        assert (number("29/3", 2), number(10, 2), number("3/2", 2), amount("29/3", "€", 2)) == (
            "9.67", "10", "1.5", "9.67 €")
    with translation.override("es"):
        assert (number("29/3", 2), number("20/2", 2), amount("1/8", "kg", 2)) == (
            "9,67", "10", "0,13 kg")


def test_a_quorum_is_said_in_whole_votes():
    assert whole("679/2") == 340 and whole(3) == 3 and whole("1/4") == 1
    reason = {"code": "quorum", "voted": 12, "members": 679, "needed": "679/2"}
    with translation.override("en"):
        assert reason_text(reason) == "Quorum not met: 12 of 679 members voted; 340 votes needed."
    with translation.override("es"):
        assert "hacían falta 340 votos" in reason_text(reason)


def test_a_failed_quorum_reads_in_votes_on_the_results_page(client, alice, bob, carla, la):
    proposal = propose(alice, kind="majority", quorum="50")  # 3 members: 3/2 -> 2 votes
    vote_all(proposal, [(bob, {"answer": "yes"})])
    client.force_login(carla)
    page = client.get(reverse("assembly:results", args=[end_window(proposal).pk])).content.decode()
    assert "1 of 3 members voted; 2 votes needed." in page and "3/2" not in page


def budget_with_thirds(alice, bob, carla, la):
    """29 kg shared by 3 voters: each voter's share is 29/3 kg."""
    food = la.resources.get(key="food")
    budget = propose(alice, kind="budget", resource=str(food.pk), budget="29",
                     options="Fridge; 20; Echo Park\nShelf; 10; Echo Park")
    vote_all(budget, [(alice, {"approved": [0]}), (bob, {"approved": [0, 1]}), (carla, {"approved": [1]})])
    return end_window(budget)


def test_each_voters_share_is_an_amount_in_the_budgets_unit(client, alice, bob, carla, la):
    budget = budget_with_thirds(alice, bob, carla, la)
    client.force_login(bob)
    page = client.get(reverse("assembly:results", args=[budget.pk])).content.decode()
    assert "Each voter's equal share: 9.67 kg." in page and "29/3" not in page
    assert "<td>10 kg</td><td>5 kg</td>" in page  # a step: cost and price, with the unit
    bob.language = "es"
    bob.save()
    page = client.get(reverse("assembly:results", args=[budget.pk])).content.decode()
    assert "9,67 kg" in page and "29/3" not in page and "9.67" not in page


def test_a_member_reads_their_own_open_ballot_after_voting(client, alice, bob, la):
    proposal = propose(alice, kind="ranked", options="Ana\nBeto\nCruz", ballot_mode="open")
    client.force_login(bob)
    client.post(reverse("assembly:proposal", args=[proposal.pk]), {"rank_2": "1", "rank_0": "2"})
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert 'id="own-ballot">1. Cruz, 2. Ana<' in page


def test_a_secret_ballot_is_never_shown_back_not_even_to_its_voter(client, alice, bob, la):
    proposal = propose(alice, kind="majority", ballot_mode="secret")
    client.force_login(bob)
    client.post(reverse("assembly:proposal", args=[proposal.pk]), {"answer": "no"})
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert 'id="ballot-secret"' in page and 'id="own-ballot"' not in page
    assert not proposal.ballots.filter(voter__isnull=False).exists()
    assert "no" not in client.session.values()  # nothing of the vote kept in the session either


def test_withdrawing_sits_apart_from_voting_and_asks_first(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Open on Sundays")
    client.force_login(bob)
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    vote, results, tools = (page.index("Cast my vote"), page.index("Results so far"),
                            page.index('id="author-tools"'))
    assert vote < results < tools  # the author's tools come after the ballot and the results
    assert "<button" not in page[tools:page.index("</section>", tools)]  # a link, not one tap
    confirm = client.get(reverse("assembly:withdraw", args=[proposal.pk])).content.decode()
    assert "Withdraw my proposal?" in confirm and 'id="confirm-withdraw"' in confirm
    assert Proposal.objects.get().status == Status.OPEN  # opening the page changes nothing
    client.post(reverse("assembly:withdraw", args=[proposal.pk]), {"confirm": "yes"})  # its form
    assert Proposal.objects.get().status == Status.WITHDRAWN


def test_the_withdraw_page_sends_others_back(client, alice, bob, la):
    proposal = propose(bob, kind="majority")
    client.force_login(alice)
    response = client.get(reverse("assembly:withdraw", args=[proposal.pk]), follow=True)
    assert "Only its author withdraws" in response.content.decode()
    assert Proposal.objects.get().status == Status.OPEN


def test_a_budget_line_without_an_area_is_flagged_at_the_top_and_focused(client, bob, la):
    client.force_login(bob)
    food = la.resources.get(key="food")
    page = client.post(reverse("assembly:propose_kind", args=["budget"]), proposal_data(
        kind="budget", resource=str(food.pk), budget="10",
        options="Fridge; 3; Echo Park\nShelf; 2; Echo Park\nBench; 1; Koreatown\nGarden; 4")).content.decode()
    summary = page[page.index('id="form-errors"'):page.index('<form method="post" novalidate>')]
    assert '<a href="#id_options">Projects</a>' in summary
    assert "Line 4 (“Garden; 4”): the area is missing. Add “; area” at the end, for example: Garden; 4; Boyle Heights." in summary
    assert "autofocus" in page[page.index('name="options"') - 200:page.index('name="options"') + 200]
    assert not Proposal.objects.exists()


def test_the_budget_form_lists_the_collectives_areas(client, bob, la):
    client.force_login(bob)
    page = client.get(reverse("assembly:propose_kind", args=["budget"])).content.decode()
    assert "Your collective&#x27;s areas: Boyle Heights, Echo Park, Koreatown." in page


def test_the_decision_pages_read_in_spanish(client, alice, bob, la):
    proposal = propose(alice, kind="ranked", options="Ana\nBeto", ballot_mode="open")
    vote_all(proposal, [(bob, rank(1, 0))])
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    kinds = client.get(reverse("assembly:propose")).content.decode()
    role = client.get(reverse("assembly:propose_kind", args=["role"])).content.decode()
    mine = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert "Una pregunta de sí o no, por consentimiento" in kinds and "El quórum de tu colectivo" in kinds
    assert "busca al miembro" in role.lower() and ">Buscar<" in role
    assert "Tu voto:" in mine and "1. Beto, 2. Ana" in mine
