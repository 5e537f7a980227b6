from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("account/", include("zayavky.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("zayavky.api.urls")),
    path("", include("zayavky.documents.urls")),
    path("", include("zayavky.cases.urls")),
    path("", include("zayavky.web.urls")),
]

admin.site.site_header = "Заявки — адміністрування"
admin.site.site_title = "Заявки"
