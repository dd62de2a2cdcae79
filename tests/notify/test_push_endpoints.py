"""Push goes to push services only: an endpoint is https on a push service's host that
resolves to public addresses, checked at subscription and again at delivery; every
refusal reads the same; an endpoint another member has is refused, never moved."""

from __future__ import annotations

import doctest
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from push_service import PushService

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connections

PUSH = "/account/notifications/push/"
KEYS = {"p256dh": "B" + "A" * 86, "auth": "a" * 22}


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")
    settings.PUSH_LOOPBACK_FOR_TESTS = False  # as in production


@pytest.fixture
def push():
    with PushService() as service:
        yield service


def test_the_rules_of_addresses_and_hosts():
    from sinfronteras.notify import endpoints

    assert doctest.testmod(endpoints).failed == 0


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:8000/push/x", "https://127.0.0.1/push/x", "https://localhost/push/x",
    "https://169.254.169.254/latest/meta-data/", "https://[::1]/push/x", "https://10.0.0.5/x",
    "https://192.168.1.1/x", "https://example.org/push/x", "http://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:8443/fcm/send/x", "https://u:p@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com.attacker.example/fcm/send/x",
])
def test_the_subscription_refuses_every_address_that_is_not_a_push_service_in_the_same_words(
        client, bob, endpoint):
    from sinfronteras.notify.models import PushSubscription

    client.force_login(bob)
    response = client.post(PUSH, {"endpoint": endpoint, **KEYS})
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "This device's subscription could not be read.",
                                            "fields": ["endpoint"]}
    assert not PushSubscription.objects.exists()


def test_the_worker_does_not_post_to_a_loopback_endpoint_kept_from_before(push, bob):
    from sinfronteras.notify.jobs import deliver
    from sinfronteras.notify.models import PushSubscription

    device = push.device("bob")
    PushSubscription.objects.create(member=bob, endpoint=device.endpoint, **KEYS)
    assert deliver.call(bob.pk, "task_proposed", "/tasks/", "push") == "gone"
    assert push.received == []  # checked again at delivery: nothing posted
    assert not PushSubscription.objects.exists()


def test_an_endpoint_another_member_has_is_refused_never_moved(client, bob, carla, push, settings):
    from sinfronteras.notify.models import PushSubscription

    settings.PUSH_LOOPBACK_FOR_TESTS = True
    device = push.device("bob")
    client.force_login(bob)
    assert client.post(PUSH, {"endpoint": device.endpoint, **KEYS}).status_code == 201
    client.force_login(carla)
    response = client.post(PUSH, {"endpoint": device.endpoint, **KEYS})
    assert response.status_code == 409 and "another member" in json.loads(response.content)["detail"]
    assert PushSubscription.objects.get().member == bob
    client.force_login(bob)  # bob's own device again: kept, keys refreshed
    assert client.post(PUSH, {"endpoint": device.endpoint, **KEYS}).status_code == 201
    assert PushSubscription.objects.get().member == bob


def test_a_push_service_whose_name_does_not_resolve_now_is_tried_later_not_dropped(bob):
    from sinfronteras.notify.jobs import deliver
    from sinfronteras.notify.models import PushSubscription

    PushSubscription.objects.create(
        member=bob, endpoint="https://no-such-host.invalid.push.services.mozilla.com/wpush/v2/x", **KEYS)
    assert deliver.call(bob.pk, "task_proposed", "/tasks/", "push") == "retry"
    assert PushSubscription.objects.filter(member=bob).exists()
