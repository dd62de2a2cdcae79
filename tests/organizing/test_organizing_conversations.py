"""Outreach conversations: least data, a contact only after a yes, sealed; private; expiring."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import area
from sinfronteras.members.models import Invite
from sinfronteras.members.services import do_accept_invite
from sinfronteras.organizing import services
from sinfronteras.organizing.forms import ConversationForm
from sinfronteras.organizing.models import Conversation, MonthlyTally, OrganizingSettings

PHONE = "(323) 555-0147"


def data(la, member, **changes):
    values = {"area": area(la, "Boyle Heights").pk, "held_on": timezone.localdate().isoformat(),
              "nickname": "Lupe", "topics_text": "raids, work", "interest": "interested",
              "follow_up_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
              "follow_up_by": member.pk, "contact_channel": "", "contact": ""}
    values.update(changes)
    return values


def log(la, member, **changes) -> Conversation:
    form = ConversationForm(data(la, member, **changes), member=member)
    assert form.is_valid(), form.errors
    return services.do_log_conversation(member, form)


def test_a_phone_number_without_a_yes_is_refused_and_nothing_is_stored(client, la, bob):
    client.force_login(bob)
    page = client.post(reverse("organizing:conversation_new"),
                       data(la, bob, contact=PHONE, contact_channel="text")).content.decode()
    assert 'id="error-contact"' in page and "said yes" in page
    assert not Conversation.objects.exists() and not MonthlyTally.objects.exists()


@pytest.mark.parametrize("field, value", [("nickname", PHONE), ("nickname", "323 555 0147"),
                                          ("nickname", "lupe@example.org"),
                                          ("topics_text", f"raids, {PHONE}"),
                                          ("topics_text", "work, 3235550147")])
def test_a_contact_detail_typed_into_another_field_is_refused(client, la, bob, field, value):
    client.force_login(bob)
    page = client.post(reverse("organizing:conversation_new"),
                       data(la, bob, **{field: value})).content.decode()
    assert f'id="error-{field}"' in page
    assert not Conversation.objects.exists()


def test_a_full_name_is_refused_a_first_name_or_nickname_is_kept(la, bob):
    form = ConversationForm(data(la, bob, nickname="María José Pérez López"), member=bob)
    assert not form.is_valid() and "nickname" in form.errors
    assert log(la, bob, nickname="María José").nickname == "María José"


def test_a_yes_keeps_one_channel_sealed_and_never_in_plaintext(client, la, bob):
    conversation = log(la, bob, said_yes="on", contact_channel="signal", contact=PHONE)
    assert conversation.consent_at is not None and conversation.contact_channel == "signal"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM organizing_conversation")
        rows = repr(cursor.fetchall())
    # The whole number, in any of its spellings (three digits alone can sit in a timestamp).
    for spelling in (PHONE, "555-0147", "5550147", "3235550147"):
        assert spelling not in rows
    client.force_login(bob)
    page = client.get(reverse("organizing:conversation", args=[conversation.pk])).content.decode()
    assert PHONE in page and "Signal" in page


def test_a_channel_without_a_yes_is_dropped(la, bob):
    conversation = log(la, bob, contact_channel="call")
    assert conversation.contact_channel == "" and conversation.consent_at is None


def test_conversations_are_invisible_to_other_members(client, la, alice, bob, carla, dmitri):
    conversation = log(la, bob)
    url = reverse("organizing:conversation", args=[conversation.pk])
    for member, code in [(carla, 404), (dmitri, 404), (bob, 200), (alice, 200)]:
        client.force_login(member)
        assert client.get(url).status_code == code, member
    client.force_login(carla)
    assert "Lupe" not in client.get(reverse("organizing:conversations")).content.decode()
    assert client.post(reverse("organizing:invite", args=[conversation.pk])).status_code == 404
    assert client.post(reverse("organizing:followed_up", args=[conversation.pk])).status_code == 404


def test_only_the_logger_or_a_coordinator_can_be_asked_to_follow_up(la, alice, bob, carla):
    form = ConversationForm(data(la, bob, follow_up_by=carla.pk), member=bob)
    assert not form.is_valid() and "follow_up_by" in form.errors
    assert log(la, bob, follow_up_by=alice.pk).follow_up_by == alice


def test_a_follow_up_due_appears_in_my_tasks_and_can_be_marked_done(client, la, bob):
    conversation = log(la, bob, follow_up_on=timezone.localdate().isoformat())
    client.force_login(bob)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert f'id="follow-up-{conversation.pk}"' in page and "Lupe" in page
    client.post(reverse("organizing:followed_up", args=[conversation.pk]), {"next": "tasks"})
    assert "Lupe" not in client.get(reverse("plans:tasks")).content.decode()
    assert MonthlyTally.objects.get().follow_ups_done == 1


def test_inviting_the_person_shows_the_link_once_and_counts_them_when_they_join(client, la, bob):
    conversation = log(la, bob)
    client.force_login(bob)
    page = client.post(reverse("organizing:invite", args=[conversation.pk])).content.decode()
    token = page.split("/join/")[1].split("/")[0]
    assert 'id="invite-link"' in page
    again = client.get(reverse("organizing:conversation", args=[conversation.pk])).content.decode()
    assert token not in again
    do_accept_invite(token, username="lupe", password="a long enough pass phrase",
                     display_name="Lupe", language="es")
    assert services.do_sync_joins(la) == 1 and services.do_sync_joins(la) == 0
    assert MonthlyTally.objects.get().joined == 1
    assert Invite.objects.get().created_by == bob


def test_expiry_deletes_old_conversations_unless_the_person_joined(la, bob):
    old_day = (timezone.localdate() - timedelta(days=100)).isoformat()
    gone = log(la, bob, held_on=old_day, nickname="Chuy")
    joined = log(la, bob, held_on=old_day, nickname="Rosa")
    token = services.do_invite_from(bob, joined)
    do_accept_invite(token, username="rosa", password="a long enough pass phrase",
                     display_name="Rosa", language="es")
    recent = log(la, bob, nickname="Nati")
    call_command("expireconversations")
    call_command("expireconversations")  # idempotent
    assert set(Conversation.objects.values_list("pk", flat=True)) == {joined.pk, recent.pk}
    assert gone.pk not in Conversation.objects.values_list("pk", flat=True)
    assert sum(MonthlyTally.objects.values_list("conversations", flat=True)) == 3  # counts stay


def test_the_collective_decides_how_long_conversations_are_kept(client, la, alice, bob):
    log(la, bob, held_on=(timezone.localdate() - timedelta(days=20)).isoformat())
    client.force_login(bob)
    assert client.get(reverse("organizing:settings")).status_code == 403
    client.force_login(alice)
    client.post(reverse("organizing:settings"), {"conversation_days": "14", "decision": "7"})
    assert OrganizingSettings.objects.get(collective=la).conversation_days == 14
    assert services.do_expire_conversations(la) == 1
    page = client.post(reverse("organizing:settings"), {"conversation_days": "0"}).content.decode()
    assert 'id="error-conversation_days"' in page
