"""One short form per kind of proposal, a member picker that cannot confuse two people, and
the collective's quorum, which only a decision changes."""

from __future__ import annotations

import re
from datetime import datetime, timezone as tz
from decimal import Decimal

import pytest
from django.urls import reverse

from assembly_helpers import end_window, proposal_data, propose, vote_all
from conftest import make_member
from sinfronteras.assembly import picker
from sinfronteras.assembly.models import Change, Proposal
from sinfronteras.assembly.services import do_close
from sinfronteras.audit.models import Event
from sinfronteras.members.models import Member
from sinfronteras.members.services import decisions_in_force

TAIL = {"quorum", "ballot_mode", "hide_results", "closes_at"}
FIELDS = {
    "consent": {"title", "body"} | TAIL,
    "majority": {"title", "body"} | TAIL,
    "ranked": {"title", "body", "options", "rule", "seats"} | TAIL,
    "approval": {"title", "body", "options", "seats"} | TAIL,
    "score": {"title", "body", "options", "seats"} | TAIL,
    "budget": {"title", "body", "resource", "budget", "options", "rule"} | TAIL,
    "setting": {"title", "body", "kind", "change", "resource", "change_value"} | TAIL,
    "role": {"title", "body", "kind", "change", "find", "subject"} | TAIL,
}


def field_names(html: str) -> set[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    return names - {"csrfmiddlewaretoken", "once", "language", "next"}


def test_the_first_page_chooses_the_kind_and_carries_no_member(client, alice, bob, carla, la):
    client.force_login(bob)
    page = client.get(reverse("assembly:propose")).content.decode()
    for kind in FIELDS:
        assert f'href="{reverse("assembly:propose_kind", args=[kind])}"' in page
    assert "Carla" not in page and "Alice" not in page.split("<footer>")[0]
    assert field_names(page) == set()  # nothing to fill in yet: just the choice


@pytest.mark.parametrize("kind", list(FIELDS))
def test_each_kind_has_a_form_with_only_the_fields_it_uses(client, bob, la, kind):
    client.force_login(bob)
    response = client.get(reverse("assembly:propose_kind", args=[kind]))
    assert response.status_code == 200
    names = field_names(response.content.decode())
    names.discard("search")
    names.discard("save")
    assert names == FIELDS[kind]


def test_an_unknown_kind_is_not_found(client, bob, la):
    client.force_login(bob)
    assert client.get(reverse("assembly:propose_kind", args=["lottery"])).status_code == 404


def test_a_form_keeps_its_kind_whatever_is_posted_beside_it(client, bob, la):
    client.force_login(bob)
    food = la.resources.get(key="food")
    data = proposal_data(kind="budget", title="Open a second pantry?", options="A\nB",
                         budget="10", resource=str(food.pk), change="remove")
    response = client.post(reverse("assembly:propose_kind", args=["consent"]), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.kind, proposal.budget, proposal.resource, proposal.change) == ("consent", None, None, "")
    assert not proposal.options.exists()


def test_the_ranked_form_counts_by_schulze_unless_asked_otherwise(client, bob, la):
    client.force_login(bob)
    page = client.get(reverse("assembly:propose_kind", args=["ranked"])).content.decode()
    assert "Schulze (Condorcet) (the default)" in page and "Equal Shares" not in page
    client.post(reverse("assembly:propose_kind", args=["ranked"]),
                proposal_data(options="Ana\nBeto", rule=""))
    assert Proposal.objects.get().rule == "schulze"


def test_editing_uses_the_kinds_form(client, bob, la):
    proposal = propose(bob, kind="majority", change="retention_days", change_value="14")
    client.force_login(bob)
    page = client.get(reverse("assembly:edit", args=[proposal.pk])).content.decode()
    assert field_names(page) - {"save"} == FIELDS["setting"]


# The member picker ------------------------------------------------------------------------------

@pytest.fixture
def namesakes(la, password_hash):
    """Three "Alex C.": two joined in March (both in Echo Park), one in May."""
    made = []
    for k, (month, area) in enumerate([(3, "Echo Park"), (3, "Echo Park"), (5, "Koreatown")]):
        member = make_member(la, f"alex{k}", area, password_hash=password_hash)
        Member.objects.filter(pk=member.pk).update(
            display_name="Alex C.", date_joined=datetime(2026, month, 2 + k, 12, tzinfo=tz.utc))
        made.append(Member.objects.get(pk=member.pk))
    return made


def test_two_members_with_the_same_name_never_get_the_same_label(namesakes, alice, bob, la):
    labels = picker.labels(namesakes + [alice, bob], la.pk)
    assert len(set(labels.values())) == 5
    assert labels[namesakes[2].pk] == "Alex C. · joined May 2026"
    assert labels[namesakes[0].pk].startswith("Alex C. · joined March 2026 · Echo Park · ")
    assert labels[bob.pk] == "Bob" and labels[alice.pk] == "Alice (coordinator)"
    assert not any(m.username in text for m in namesakes for text in labels.values())


def test_a_label_stays_unique_when_the_search_finds_only_one_of_the_namesakes(namesakes, la):
    one = picker.labels([namesakes[2]], la.pk)
    assert one[namesakes[2].pk] == "Alex C. · joined May 2026"


def test_the_picker_shows_nobody_until_a_search_in_a_large_collective(client, bob, la, password_hash):
    for k in range(picker.SHOWN + 5):
        make_member(la, f"member{k:02d}", password_hash=password_hash)
    make_member(la, "zoe", password_hash=password_hash)
    client.force_login(bob)
    url = reverse("assembly:propose_kind", args=["role"])
    page = client.get(url).content.decode()
    assert 'name="subject"' not in page and "Member00" not in page
    assert "your collective has 27 active members" in page
    found = client.post(url, proposal_data(kind="consent", change="coordinator", find="zo",
                                           title="Make Zoe a coordinator", search="1")).content.decode()
    assert re.findall(r'name="subject" value="(\d+)"', found) == [str(Member.objects.get(username="zoe").pk)]
    assert 'value="Make Zoe a coordinator"' in found and not Proposal.objects.exists()
    assert 'id="error-title"' not in found  # a search checks nothing


def test_a_search_says_how_many_more_match_than_are_shown(client, bob, la, password_hash):
    for k in range(picker.SHOWN + 3):
        make_member(la, f"member{k:02d}", password_hash=password_hash)
    client.force_login(bob)
    page = client.get(reverse("assembly:propose_kind", args=["role"]) + "?find=member").content.decode()
    assert page.count('name="subject"') == picker.SHOWN and "3 more are not shown" in page


def test_a_role_change_is_proposed_with_the_member_picked(client, bob, carla, la):
    client.force_login(bob)
    url = reverse("assembly:propose_kind", args=["role"])
    response = client.post(url, proposal_data(kind="majority", change="coordinator", find="car",
                                              subject=str(carla.pk), title="Carla coordinates"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.kind, proposal.change, proposal.subject) == ("majority", "coordinator", carla)
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert "make a member a coordinator: Carla" in page


def test_a_role_change_without_a_member_says_how_to_pick_one(client, bob, la):
    client.force_login(bob)
    page = client.post(reverse("assembly:propose_kind", args=["role"]),
                       proposal_data(kind="consent", change="remove", title="Remove someone")).content.decode()
    assert 'id="error-subject"' in page and "search for their name" in page
    assert 'href="#id_subject"' in page and not Proposal.objects.exists()


def test_the_new_proposal_pages_stay_small_with_many_members(client, bob, la, password_hash):
    Member.objects.bulk_create([Member(username=f"m{k}", display_name=f"Person {k}", password=password_hash,
                                       collective=la) for k in range(700)])
    client.force_login(bob)
    for kind in ("role", ""):
        url = reverse("assembly:propose_kind", args=[kind]) if kind else reverse("assembly:propose")
        page = client.get(url).content.decode()
        assert "Person 1" not in page and len(page.encode()) < 12_000, (kind, len(page))


# The collective's quorum ------------------------------------------------------------------------

def test_a_proposal_starts_from_the_collectives_quorum_and_may_not_ask_for_less(client, bob, la):
    la.default_quorum = Decimal("0.30")
    la.save()
    client.force_login(bob)
    url = reverse("assembly:propose_kind", args=["consent"])
    assert 'name="quorum" value="30"' in client.get(url).content.decode()
    page = client.post(url, proposal_data(kind="consent", quorum="20")).content.decode()
    assert "quorum is 30 %: ask for 30 % or more" in page and not Proposal.objects.exists()
    client.post(url, proposal_data(kind="consent", quorum="60"))
    assert Proposal.objects.get().quorum == Decimal("0.60")


def test_a_new_collective_asks_a_quarter_of_its_members_to_vote(la):
    assert la.default_quorum == Decimal("0.25")


@pytest.mark.parametrize("value", ["0", "101", "12.5", ""])
def test_a_change_of_quorum_takes_a_whole_percentage(client, bob, la, value):
    client.force_login(bob)
    page = client.post(reverse("assembly:propose_kind", args=["setting"]),
                       proposal_data(kind="majority", change="default_quorum", change_value=value)).content.decode()
    assert 'id="error-change_value"' in page and "whole percentage from 1 to 100" in page


def test_a_passed_decision_changes_the_quorum_and_the_audit_log_says_so(client, alice, bob, carla, la):
    proposal = propose(bob, kind="majority", change=Change.QUORUM, change_value="40",
                       title="Ask 40 % of us to vote")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    la.refresh_from_db()
    assert decision.passed and decision.applied_at and la.default_quorum == Decimal("0.40")
    event = Event.objects.get(action="settings.changed")
    assert (event.decision_ref, event.data["setting"]) == (decision.pk, "default_quorum")
    assert Decimal(str(event.data["old"])) == Decimal("0.25") and Decimal(str(event.data["new"])) == Decimal("0.4")
    assert decision.pk not in decisions_in_force(la)  # how we decide does not shape the plan
    client.force_login(carla)
    assert 'name="quorum" value="40"' in client.get(
        reverse("assembly:propose_kind", args=["ranked"])).content.decode()
    summary = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert "the quorum of proposals: 40% of the active members" in summary
