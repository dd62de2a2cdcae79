"""Routes of the JSON API about the collective itself: its areas and resources."""

from __future__ import annotations

from ninja import Router

from sinfronteras.members.models import Area
from sinfronteras.sharing.models import Resource

from .errors import answers
from .schemas import AreaOut, ResourceOut

router = Router()


# The operation ids are those published when these routes lived in api/urls.py:
# programs generated from /api/openapi.json call them by these names.
@router.get("/areas", response=answers(list[AreaOut]), tags=["collective"],
            operation_id="sinfronteras_api_urls_list_areas")
def list_areas(request):
    return Area.objects.filter(collective_id=request.user.collective_id)


@router.get("/resources", response=answers(list[ResourceOut]), tags=["collective"],
            operation_id="sinfronteras_api_urls_list_resources")
def list_resources(request):
    return Resource.objects.filter(collective_id=request.user.collective_id)
