from django.contrib.auth import views as auth_views
from django.urls import include, path

from sinfronteras.api.urls import api, page_not_found, server_error
from sinfronteras.audit import views as audit_views
from sinfronteras.members import views as member_views
from sinfronteras.members.second_factor import second_factor
from sinfronteras.sharing import views as sharing_views

urlpatterns = [
    path("", sharing_views.home, name="home"),
    path("login/", member_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("join/<str:token>/", member_views.join, name="join"),
    path("account/", member_views.account, name="account"),
    path("account/password/", member_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/leave/", member_views.leave, name="leave"),
    path("invites/", member_views.invites, name="invites"),
    path("language/", member_views.set_language, name="set_language"),
    path("tokens/", member_views.tokens, name="tokens"),
    path("two-factor/", second_factor, name="second_factor"),
    path("needs/", sharing_views.needs, name="needs"),
    path("needs/new/", sharing_views.need_edit, name="need_new"),
    path("needs/<id:pk>/", sharing_views.need_edit, name="need_edit"),
    path("needs/<id:pk>/withdraw/", sharing_views.need_withdraw, name="need_withdraw"),
    path("offers/", sharing_views.offers, name="offers"),
    path("offers/new/", sharing_views.offer_edit, name="offer_new"),
    path("offers/<id:pk>/", sharing_views.offer_edit, name="offer_edit"),
    path("offers/<id:pk>/withdraw/", sharing_views.offer_withdraw, name="offer_withdraw"),
    path("catalogue/", sharing_views.catalogue, name="catalogue"),
    path("catalogue/resources/new/", sharing_views.resource_edit, name="resource_new"),
    path("catalogue/resources/<id:pk>/", sharing_views.resource_edit, name="resource_edit"),
    path("catalogue/areas/new/", sharing_views.area_edit, name="area_new"),
    path("catalogue/areas/<id:pk>/", sharing_views.area_edit, name="area_edit"),
    path("decisions/", include("sinfronteras.assembly.urls")),
    path("organize/", include("sinfronteras.organizing.urls")),
    path("", include("sinfronteras.plans.urls")),
    path("", include("sinfronteras.sms.urls")),
    path("audit/", audit_views.audit_log, name="audit"),
    path("api/", api.urls),
    path("federation/", include("sinfronteras.federation.protocol_urls")),
    path("", include("sinfronteras.federation.urls")),
    path("", include("sinfronteras.notify.urls")),
]

# JSON under /api/; elsewhere the pages in the site's layout (sinfronteras.web.errors).
handler403 = "sinfronteras.web.errors.forbidden"
handler404 = page_not_found
handler500 = server_error
