"""QuickSelect: Django's select, its options written in Python."""

from __future__ import annotations

import doctest

from django import forms

from sinfronteras import widgets


def test_its_documented_example_runs():
    assert doctest.testmod(widgets).failed == 0


def test_it_writes_the_options_django_writes_with_groups_attrs_and_escaping():
    choices = [("Norte", [(1, "Bell <Gardens>"), (2, "Cudahy")]), ("Sur", [(3, 'Lynwood "centro"')])]
    attrs = {"id": "id_area", "aria-describedby": "error-area"}
    ours = widgets.QuickSelect(choices=choices).render("area", 3, attrs=attrs)
    theirs = forms.Select(choices=choices).render("area", 3, attrs=attrs)
    squeeze = lambda html: [line.strip() for line in html.splitlines() if line.strip()]  # noqa: E731
    assert squeeze(ours) == squeeze(theirs)
    assert '<option value="3" selected>Lynwood &quot;centro&quot;</option>' in ours
    assert "Bell &lt;Gardens&gt;" in ours and "<Gardens>" not in ours
