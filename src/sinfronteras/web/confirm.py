"""Ask before an action that cannot be undone, without JavaScript.

The first POST (the button on a list or a page) changes nothing and answers with a
confirmation page; only its own form, which carries ``confirm=yes``, acts. A
direct POST without it therefore does nothing.
"""

from __future__ import annotations

from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmed(request) -> bool:
    """Whether this POST comes from the confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def ask(request, *, title: str, question: str, button: str, back: str, danger: bool = True,
        keep: dict | None = None):
    """The confirmation page: ``question`` explains what happens; ``button`` does it (the
    form posts back to this same URL, with ``keep`` as hidden fields); ``back`` cancels."""
    return render(request, "confirm.html", {
        "title": title, "question": question, "button": button, "back": back, "danger": danger,
        "action": request.path, "keep": sorted((keep or {}).items()), "field": CONFIRM_FIELD,
    })
