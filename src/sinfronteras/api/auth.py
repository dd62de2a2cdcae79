"""Who calls the JSON API: a personal token, or a logged-in session."""

from __future__ import annotations

from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from sinfronteras.members.models import ApiToken, Role


class BearerToken(HttpBearer):
    """``Authorization: Bearer sf_...``: the token alone decides, whatever session comes with it."""

    def authenticate(self, request, token):
        member = ApiToken.member_for(token)
        if member is None:
            raise AuthenticationError(401, "This API token is unknown, expired or revoked. "
                                           "Make a new one on the API tokens page.")
        request.user = member
        return member


class MemberSession(SessionAuth):
    """A logged-in session; a coordinator's acts as a member's until the second factor."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None  # no session: a 401, whatever the CSRF token says
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, "A session's writes need the CSRF token (the X-CSRFToken "
                                 "header); a program should use an API token instead.") from None

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.role == Role.COORDINATOR and not user.is_verified():
            user.coordinator_power = False  # as the second-factor middleware does
        return user
