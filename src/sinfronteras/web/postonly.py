"""A GET of an address that only takes a button's POST shows a page of the site, never a
bare 405: an old link, a bookmark, or Back after a confirmation lands there.

One middleware for every such view (``require_POST`` and the like answer 405 with an
``Allow`` header): the page says that nothing was changed and leads back to the nearest
page above the address that can be opened (``/tasks/12/done/`` leads to ``/tasks/12/``),
else home. The status stays 405, with its ``Allow`` header, for programs.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

_METHODS = ("GET", "HEAD")


def post_only(view) -> bool:
    """Whether a resolved view answers only POST (Django's ``require_http_methods`` wrappers
    and class views), looking through the decorators wrapped around it."""
    seen, todo = set(), [view]
    while todo:
        func = todo.pop()
        if func is None or id(func) in seen or len(seen) > 50:
            continue
        seen.add(id(func))
        view_class = getattr(func, "view_class", None)
        if view_class is not None:
            return "get" not in view_class.http_method_names
        code = getattr(func, "__code__", None)
        for name, cell in zip(getattr(code, "co_freevars", ()), getattr(func, "__closure__", None) or ()):
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if name == "request_method_list":
                return "GET" not in value
            if callable(value):
                todo.append(value)
        todo.append(getattr(func, "__wrapped__", None))
    return False


def way_back(path: str) -> str:
    """The nearest address above ``path`` that a GET can open; home when none."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        if not parts:
            break
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not post_only(match.func):
            return candidate
    return reverse("home")


def page_for_get(get_response):
    """Middleware: a 405 to a GET (or HEAD) becomes the site's page that leads back."""

    def middleware(request):
        response = get_response(request)
        if response.status_code != 405 or request.method not in _METHODS \
                or request.path.startswith("/api/"):
            return response
        page = render(request, "405.html", {"back": way_back(request.path)}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page

    return middleware
