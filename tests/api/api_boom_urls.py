"""The site's URLs and error handlers, plus an API path that fails, to see the 500 it gets."""

from django.urls import path

from sinfronteras.web.urls import handler404, handler500  # noqa: F401  (the site's handlers)
from sinfronteras.web.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [path("api/boom/", boom), path("boom/", boom), *site]
