from django.urls import path

from workstreams import views

app_name = "workstreams"

urlpatterns = [
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("workstreams/<int:pk>/", views.workstream, name="workstream"),
    path("projects/<int:pk>/", views.project, name="project"),
]
