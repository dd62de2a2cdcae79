"""The numbers page draws its charts with plain numbers in every language."""

import re

from django.urls import reverse

from sinfronteras.organizing.demo import load_demo_organizing


def test_the_numbers_page_charts_keep_plain_numbers_in_spanish(client, alice, bob, carla, la):
    import random

    load_demo_organizing(la, random.Random(3))
    alice.language = "es"
    alice.save()
    client.force_login(alice)
    page = client.get(reverse("organizing:numbers")).content.decode()
    shapes = " ".join(re.findall(r"<(?:rect|text) [^>]*>", page))
    numbers = re.findall(r'\s(?:x|y|width|height)="([^"]*)"', shapes)
    assert numbers and all(re.fullmatch(r"-?[0-9.]+", n) for n in numbers), numbers
    assert any("." in n for n in numbers)  # some bar has a fractional width: the case that broke
