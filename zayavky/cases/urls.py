from django.urls import path

from zayavky.cases import views

app_name = "cases"
urlpatterns = [
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
