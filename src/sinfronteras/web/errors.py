"""The 403, 404 and 500 pages: in the site's layout and the reader's language, saying what
the person can do instead (``handler403`` and friends in ``web/urls.py``).

A refusal's own words are shown: every ``PermissionDenied`` of the site carries a
translated sentence for people. A 404's words are for logs (English), never shown. The
500 page is drawn without the request's context: whatever broke must not break it too.
"""

from __future__ import annotations

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils.functional import Promise
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def forbidden(request, exception=None):
    reason = exception.args[0] if exception is not None and exception.args else ""
    shown = str(reason) if isinstance(reason, (str, Promise)) else ""
    return HttpResponseForbidden(loader.render_to_string("403.html", {"reason": shown}, request))


@requires_csrf_token
def not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render({}))
