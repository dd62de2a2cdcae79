"""Every form is safe to post twice: Back, then Post, answers "already posted", leads to
what the first post made and makes nothing new (issue 17, "Forms a person can trust")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assembly_helpers import proposal_data, propose_url
from conftest import area, resource
from sinfronteras.assembly.models import Proposal
from sinfronteras.organizing.models import Action, Commitment
from sinfronteras.plans.models import AreaAlert
from sinfronteras.sharing.models import Need, Offer

ALREADY = {"en": "Already posted: this form was sent before, so nothing new was made.",
           "es": "Ya enviado: este formulario se mandó antes, así que no se ha hecho nada nuevo."}
KEY = re.compile(r'name="once" value="([^"]+)"')


def key_of(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    keys = KEY.findall(page.content.decode())
    assert keys, f"no one-time key in the forms of {url}"
    return keys[0]


def as_member(client, member, language):
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)


def post_twice(client, url, data, model):
    key = key_of(client, url)
    first = client.post(url, {**data, "once": key})
    assert first.status_code == 302, first.content.decode()[-2000:]
    made = model.objects.count()
    again = client.post(url, {**data, "once": key})
    assert model.objects.count() == made  # nothing new
    assert again.status_code == 302 and again["Location"] == first["Location"]
    return client.get(again["Location"])


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_need_posted_twice_is_made_once_and_shown(client, la, bob, language):
    as_member(client, bob, language)
    page = post_twice(client, reverse("need_new"), {
        "resource": resource(la, "food").pk, "quantity": "1,5" if language == "es" else "1.5",
        "area": area(la, "Echo Park").pk}, Need)
    assert Need.objects.count() == 1
    assert ALREADY[language] in page.content.decode()
    assert "1,5" in page.content.decode() if language == "es" else "1.5 kg" in page.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_offer_posted_twice_is_made_once(client, la, bob, language):
    as_member(client, bob, language)
    page = post_twice(client, reverse("offer_new"), {
        "resources": [resource(la, "food").pk], "quantity": "3", "area": area(la, "Echo Park").pk},
        Offer)
    assert Offer.objects.count() == 1 and ALREADY[language] in page.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_action_a_commitment_and_an_alert_posted_twice_are_made_once(client, la, alice,
                                                                        language):
    as_member(client, alice, language)
    day = timezone.localdate() + timedelta(days=3)
    post_twice(client, reverse("organizing:action_new"), {
        "title": "Rally", "area": area(la, "Koreatown").pk, "day": day.isoformat(),
        "hour": "10:00", "copies": "0", "people": "2", "hours_each": "2"}, Action)
    post_twice(client, reverse("organizing:commitment_new"), {
        "what": "Bring copies", "due_on": day.isoformat()}, Commitment)
    post_twice(client, reverse("plans:alerts"), {"area": area(la, "Koreatown").pk, "hours": "2"},
               AreaAlert)
    assert (Action.objects.count(), Commitment.objects.count(), AreaAlert.objects.count()) == \
        (1, 1, 1)


def test_a_proposal_posted_twice_is_made_once(client, la, alice):
    as_member(client, alice, "es")
    data = proposal_data(kind="majority", rule="", seats="")
    page = post_twice(client, propose_url(data), data, Proposal)
    assert Proposal.objects.count() == 1 and ALREADY["es"] in page.content.decode()


def test_a_form_with_errors_is_drawn_again_with_a_new_key_and_then_posts(client, la, bob):
    as_member(client, bob, "en")
    url = reverse("need_new")
    key = key_of(client, url)
    data = {"resource": resource(la, "food").pk, "area": area(la, "Echo Park").pk}
    wrong = client.post(url, {**data, "quantity": "", "once": key})
    assert wrong.status_code == 200 and not Need.objects.exists()
    fresh = KEY.findall(wrong.content.decode())[0]
    assert fresh != key
    assert client.post(url, {**data, "quantity": "2", "once": fresh}).status_code == 302
    assert Need.objects.count() == 1


def test_two_members_keys_never_meet(client, la, bob, carla):
    url = reverse("need_new")
    data = {"resource": resource(la, "food").pk, "quantity": "2", "area": area(la, "Echo Park").pk}
    as_member(client, bob, "en")
    key = key_of(client, url)
    client.post(url, {**data, "once": key})
    as_member(client, carla, "en")
    client.post(url, {**data, "once": key})  # the same key from another member is theirs
    assert Need.objects.filter(posted_by=carla).count() == 1


def test_every_form_of_a_page_carries_a_key(client, la, bob):
    as_member(client, bob, "en")
    page = client.get(reverse("need_new")).content.decode()
    forms = page.count('name="csrfmiddlewaretoken"')
    assert forms >= 2 and len(KEY.findall(page)) == forms


@pytest.mark.parametrize("language, words", [
    ("en", "Already posted: you sent this same one a moment ago"),
    ("es", "Ya enviado: mandaste esto mismo hace un momento"),
])
def test_back_then_post_of_the_same_need_with_a_fresh_form_makes_nothing_new(client, la, bob,
                                                                           language, words):
    """Pages are never cached: Back draws the form afresh, with a new key, and the browser
    puts back what was typed (tests/browser/test_browser_forms.py)."""
    as_member(client, bob, language)
    url = reverse("need_new")
    data = {"resource": resource(la, "food").pk, "quantity": "2", "area": area(la, "Echo Park").pk}
    client.post(url, {**data, "once": key_of(client, url)})
    again = client.post(url, {**data, "once": key_of(client, url)}, follow=True)
    assert Need.objects.count() == 1 and words in again.content.decode()
    client.post(url, {**data, "quantity": "3", "once": key_of(client, url)})
    assert Need.objects.count() == 2  # another amount is another need
