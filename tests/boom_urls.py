"""The site's URLs plus one that fails, to see what an error report contains."""

from django.urls import path

from sinfronteras.web.urls import handler403, handler404, handler500  # noqa: F401 (the site's)
from sinfronteras.web.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [*site, path("boom/", boom)]
