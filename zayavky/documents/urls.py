"""The registration card and the answer letter; the site includes these at its root."""

from django.urls import path

from zayavky.documents import views

app_name = "documents"
urlpatterns = [
    path("requests/<int:pk>/card/", views.card, name="card"),
    path("requests/<int:pk>/card/take/", views.card_take, name="card_take"),
    path("requests/<int:pk>/letter.docx", views.letter_docx, name="letter_docx"),
    path("requests/<int:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
]
