from django.urls import path

from zayavky.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change_view(), name="password_change"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.setup_second_factor, name="setup_second_factor"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
