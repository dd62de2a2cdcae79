"""Starting a federation is the members' decision too, and its coordinators then invite.

A proposal to start a federation names it; when it passes, the system creates it (written in
the audit log with the decision). A coordinator of a federated collective makes an invitation
code on the federation page: shown once, as text and as a QR code, in the answer to a post
(never in an address), and the other collective's members vote to join with it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sinfronteras.assembly.models import Change, Kind, Proposal
from sinfronteras.assembly.services import do_close, do_vote
from sinfronteras.audit.models import Event
from sinfronteras.federation import services
from sinfronteras.federation.models import Federation, Invitation, Peer


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


def propose_form(client, member, language, **fields):
    member.language = language
    member.save()
    client.force_login(member)
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {"title": "Plan with Tijuana", "body": "", "kind": "majority", "change": "federation_create",
            "federation_name": "", "federation_code": "", "quorum": "50", "ballot_mode": "secret",
            "closes_at": closes, **fields}
    return client.post(reverse("assembly:propose_kind", args=["federation"]), form,
                       HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_proposal_to_start_a_federation_without_a_name_says_to_name_it(client, la, bob, language):
    response = propose_form(client, bob, language)
    assert response.status_code == 200
    words = {"en": "Name the federation to start", "es": "Nombra la federación que se empieza"}[language]
    assert words in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_name_typed_on_another_federation_change_is_not_kept(client, la, bob):
    services.do_create_federation("Sin Fronteras", la)
    response = propose_form(client, bob, "en", change="federation_leave", federation_name="Border")
    assert response.status_code == 302
    assert Proposal.objects.get(change=Change.FED_LEAVE).federation_name == ""


def test_a_collective_in_a_federation_cannot_propose_to_start_another(client, la, bob, oakland):
    services.do_create_federation("Sin Fronteras", la)
    response = propose_form(client, bob, "en", federation_name="Another one")
    assert response.status_code == 200
    assert "in a federation already" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_passed_proposal_starts_the_federation_and_the_audit_log_names_the_decision(client, la, alice,
                                                                                       bob):
    response = propose_form(client, bob, "en", federation_name="  Border   Network ")
    assert response.status_code == 302
    proposal = Proposal.objects.get(collective=la, change=Change.FED_CREATE)
    assert proposal.federation_name == "Border Network"
    text = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert "start a federation: Border Network" in text
    Proposal.objects.filter(pk=proposal.pk).update(quorum=0)
    for member in (alice, bob):
        do_vote(member, proposal, {"answer": "yes"})
    do_close(Proposal.objects.get(pk=proposal.pk))
    proposal.refresh_from_db()
    assert proposal.decision.passed and proposal.decision.applied_at is not None
    federation = Peer.objects.get(collective=la).federation
    assert federation.name == "Border Network"
    event = Event.objects.get(collective=la, action="federation.create_decided")
    assert event.decision_ref == proposal.decision.pk


def test_a_rejected_proposal_starts_nothing(la, alice, bob):
    proposal = Proposal.objects.create(collective=la, author=alice, title="Start", kind=Kind.MAJORITY,
                                       change=Change.FED_CREATE, federation_name="Border", quorum=0,
                                       closes_at=timezone.now() + timedelta(days=1))
    do_vote(alice, proposal, {"answer": "no"})
    do_vote(bob, proposal, {"answer": "no"})
    do_close(proposal)
    assert not Federation.objects.exists() and not Peer.objects.exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_makes_an_invitation_code_shown_once_as_text_and_qr(client, la, alice, oakland,
                                                                         dmitri, language):
    services.do_create_federation("Sin Fronteras", la)
    alice.language = language
    alice.save()
    client.force_login(alice)
    page = client.get(reverse("federation:page"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="invite-form"' in page and 'id="invite-code"' not in page
    before = Invitation.objects.count()
    response = client.post(reverse("federation:invite"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = response.content.decode()
    code = text.split('id="invite-code"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    assert code.startswith("sfed1.") and "<svg" in text.split('id="invite"', 1)[1]
    assert Invitation.objects.count() == before + 1
    words = {"en": "It can be used once, within 7 days", "es": "Se puede usar una vez, en 7 días"}[language]
    assert words in text
    # The other collective's members join with it (here at once, as their passed decision would).
    services.do_join(code, oakland)
    assert Peer.objects.get(collective=oakland).federation == Peer.objects.get(collective=la).federation


def test_a_member_who_is_not_a_coordinator_cannot_make_an_invitation_code(client, la, bob):
    services.do_create_federation("Sin Fronteras", la)
    before = Invitation.objects.count()
    client.force_login(bob)
    assert 'id="invite-form"' not in client.get(reverse("federation:page")).content.decode()
    assert client.post(reverse("federation:invite")).status_code == 403
    assert Invitation.objects.count() == before


def test_a_coordinator_of_a_collective_in_no_federation_is_told_to_start_one(client, la, alice):
    client.force_login(alice)
    response = client.post(reverse("federation:invite"), follow=True)
    assert "propose to start one first" in response.content.decode()
    assert not Invitation.objects.exists()
