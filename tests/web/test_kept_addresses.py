"""``{% url %}`` keeps each address it works out, under everything the address depends on."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import reverse, set_script_prefix


def render(text: str, **values) -> str:
    return Template(text).render(Context(values))


def test_kept_addresses_follow_the_arguments_and_the_script_prefix():
    page = "{% url 'need_edit' pk %} {% url 'plans:tasks' %}"
    assert render(page, pk=3) == f"{reverse('need_edit', args=[3])} {reverse('plans:tasks')}"
    assert render(page, pk=4) == f"{reverse('need_edit', args=[4])} {reverse('plans:tasks')}"
    set_script_prefix("/site/")
    try:
        assert render(page, pk=3) == "/site/needs/3/ /site/tasks/"
    finally:
        set_script_prefix("/")
    assert render(page, pk=3) == "/needs/3/ /tasks/"


def test_an_address_kept_as_a_variable_or_from_other_values_is_worked_out_as_django_does():
    assert render("{% url 'need_edit' pk as there %}<{{ there }}>", pk=5) == "</needs/5/>"
    assert render("{% url 'need_edit' pk=pk %}", pk=6) == "/needs/6/"
    assert render("{% url 'need_edit' pk %}", pk=7.0) == reverse("need_edit", args=[7.0])
