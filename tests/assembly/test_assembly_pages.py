"""The pages: list, propose, vote without JavaScript, results, access, Spanish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assembly_helpers import end_window, proposal_data, propose, propose_url, rank, sealed_choices, vote_all
from sinfronteras.assembly.models import Ballot, Decision, Proposal


def test_a_member_proposes_through_the_page(client, bob, la):
    client.force_login(bob)
    assert client.get(reverse("assembly:propose")).status_code == 200
    response = client.post(reverse("assembly:propose_kind", args=["ranked"]),
                           proposal_data(options="Saturday\nSunday"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assembly:proposal", args=[proposal.pk])
    assert proposal.author == bob and proposal.options.count() == 2


@pytest.mark.parametrize("changes, field, words", [
    ({"options": "Only one"}, "options", "between 2 and"),
    ({"options": "Same\nSame"}, "options", "same name"),
    ({"kind": "budget", "options": "Fridge; lots; Echo Park\nShelf; 3; Echo Park", "budget": "10"},
     "options", "Line 1: the cost lots"),
    ({"kind": "budget", "options": "Fridge; 3; Atlantis\nShelf; 3; Echo Park", "budget": "10"},
     "options", "“Atlantis” is not an area of your collective. Its areas: Boyle Heights"),
    ({"kind": "budget", "options": "Fridge; 3\nShelf; 3; Echo Park", "budget": "10"},
     "options", "Line 1 (“Fridge; 3”): the area is missing"),
    ({"kind": "majority", "change": "retention_days", "change_value": "3", "quorum": "10"},
     "quorum", "Your collective&#x27;s quorum is 25 %"),
    ({"kind": "majority", "change": "retention_days", "change_value": "500"}, "change_value", "1 to 365"),
    ({"kind": "majority", "change": "basic"}, "resource", "Pick the resource"),
    ({"closes_at": "2001-01-01T10:00"}, "closes_at", "has passed"),
    ({"quorum": "150", "options": "A\nB"}, "quorum", "100"),
    ({"rule": "greedy", "options": "A\nB"}, "rule", "Pick one of the choices listed"),
])
def test_a_bad_proposal_says_which_field_is_wrong_and_stores_nothing(client, bob, la, changes, field, words):
    client.force_login(bob)
    if changes.get("kind") == "budget":
        changes["resource"] = str(la.resources.get(key="food").pk)
    data = proposal_data(**changes)
    response = client.post(propose_url(data), data)
    page = response.content.decode()
    assert response.status_code == 200 and f'id="error-{field}"' in page and words in page
    assert not Proposal.objects.exists()


def test_ranked_choice_is_voted_with_one_select_per_option(client, alice, bob, la):
    proposal = propose(alice, options="Saturday\nSunday\nMonday")
    client.force_login(bob)
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert page.count("<select") == 3 + 1 and "<script" not in page.split("<main")[1]  # three ranks and the language
    response = client.post(reverse("assembly:proposal", args=[proposal.pk]),
                           {"rank_0": "2", "rank_1": "", "rank_2": "1"})
    assert response.status_code == 302
    assert sealed_choices() == [{"ranking": [[2], [0]]}] and not Ballot.objects.exists()


def test_two_options_with_the_same_rank_are_refused_with_an_error_on_each(client, alice, bob, la):
    proposal = propose(alice, options="Saturday\nSunday\nMonday")
    client.force_login(bob)
    response = client.post(reverse("assembly:proposal", args=[proposal.pk]),
                           {"rank_0": "1", "rank_1": "1", "rank_2": "2"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="error-rank_0"' in page and 'id="error-rank_1"' in page
    assert 'id="error-rank_2"' not in page and "Rank 1 is given to more than one option" in page
    assert not Ballot.objects.exists()


def test_a_second_vote_through_the_page_is_refused(client, alice, bob, la):
    proposal = propose(alice, kind="majority")
    client.force_login(bob)
    url = reverse("assembly:proposal", args=[proposal.pk])
    client.post(url, {"answer": "yes"})
    response = client.post(url, {"answer": "no"}, follow=True)
    assert "already voted" in response.content.decode()
    assert sealed_choices() == [{"answer": "yes"}]


def test_results_stay_hidden_until_the_window_closes_and_then_show_the_rounds(client, alice, bob, carla, la):
    proposal = propose(alice, rule="irv", options="Ana\nBeto\nCruz")
    vote_all(proposal, [(alice, rank(0, 1)), (bob, rank(1, 0)), (carla, rank(2, 1))])
    client.force_login(bob)
    url = reverse("assembly:results", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert 'id="results-hidden"' in page and "Beto" not in page.split('id="results-hidden"')[1]
    end_window(proposal)
    page = client.get(url).content.decode()  # viewing it closes it
    decision = Decision.objects.get()
    assert f"Passed: decision #{decision.pk}." in page and 'id="rounds"' in page
    assert '<strong id="winners">Beto</strong>' in page and "Eliminated:" in page


def test_results_can_be_shown_while_voting_is_open_when_the_proposer_says_so(client, alice, bob, la):
    proposal = propose(alice, options="Ana\nBeto", hide_results=None, ballot_mode="open")
    vote_all(proposal, [(alice, rank(1, 0))])
    client.force_login(bob)
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert "Results so far" in page and 'id="pairwise"' in page and not Decision.objects.exists()


def test_the_schulze_table_and_the_equal_shares_steps_are_shown(client, alice, bob, carla, la):
    ranked = propose(alice, options="Ana\nBeto\nCruz")
    food = la.resources.get(key="food")
    budget = propose(alice, kind="budget", resource=str(food.pk), budget="10",
                     options="Fridge; 6; Echo Park\nShelf; 5; Echo Park")
    vote_all(ranked, [(alice, rank(0, 1, 2)), (bob, rank(1, 0, 2))])
    vote_all(budget, [(alice, {"approved": [0]}), (bob, {"approved": [0, 1]})])
    client.force_login(carla)
    page = client.get(reverse("assembly:results", args=[end_window(ranked).pk])).content.decode()
    assert 'id="pairwise"' in page and "Strongest paths" in page
    page = client.get(reverse("assembly:results", args=[end_window(budget).pk])).content.decode()
    assert "Equal Shares, step by step" in page and 'id="steps"' in page and "Fridge" in page


def test_an_open_ballot_shows_who_voted_what_once_closed(client, alice, bob, la):
    proposal = propose(alice, kind="majority", ballot_mode="open")
    vote_all(proposal, [(bob, {"answer": "no"})])
    client.force_login(alice)
    page = client.get(reverse("assembly:results", args=[end_window(proposal).pk])).content.decode()
    assert "Bob: no" in page


def test_the_list_shows_open_proposals_and_decisions(client, alice, bob, la):
    open_one = propose(alice, options="A\nB", title="Open question")
    closed = propose(alice, kind="majority", title="Closed question")
    vote_all(closed, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    end_window(closed)
    client.force_login(bob)
    page = client.get(reverse("assembly:proposals")).content.decode()
    assert f'id="proposal-{open_one.pk}"' in page and "Closed question" in page
    assert f"passed: decision #{Decision.objects.get().pk}" in page


def test_members_of_another_collective_see_nothing(client, alice, dmitri, la):
    proposal = end_window(propose(alice, options="A\nB"))
    client.force_login(dmitri)
    for name in ("proposal", "results"):
        assert client.get(reverse(f"assembly:{name}", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "toi"])).status_code == 404
    assert client.post(reverse("assembly:proposal", args=[proposal.pk]), {"rank_0": "1"}).status_code == 404
    assert "A\nB" not in client.get(reverse("assembly:proposals")).content.decode()
    assert not Decision.objects.exists()  # not even closed by an outsider's look


def test_pages_need_a_login(client, la):
    response = client.get(reverse("assembly:proposals"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("page", ["proposals", "propose", "proposal", "results"])
def test_every_decision_page_reads_in_spanish(client, alice, bob, la, page):
    proposal = propose(alice, rule="irv", options="Ana\nBeto", hide_results=None)
    vote_all(proposal, [(alice, rank(1))])
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    args = [proposal.pk] if page in ("proposal", "results") else []
    response = client.get(reverse(f"assembly:{page}", args=args))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="es">' in html and "Decidir" in html
    spanish = {"proposals": "Abiertas a votación", "propose": "Hacer una propuesta",
               "proposal": "Tu voto", "results": "Resultados"}[page]
    assert spanish in html
    for english in ("Your vote", "Open for votes", "Make a proposal", "Results so far", "Voting"):
        assert english not in html
