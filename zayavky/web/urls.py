from django.urls import path

from zayavky.web import classifier, lists, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", lists.request_list, name="requests"),
    path("requests/export.csv", lists.export_csv, name="export_csv"),
    path("requests/export.xlsx", lists.export_xlsx, name="export_xlsx"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/act/<str:action>/", views.act, name="act"),
    path("classifier/", classifier.classifier_page, name="classifier"),
    path("classifier/search/", classifier.search_view, name="classifier_search"),
]
