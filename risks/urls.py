from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("programmes/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("projects/<int:pk>/assess/", views.assess, name="assess"),
]
