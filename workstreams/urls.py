from django.urls import path

from workstreams import views

app_name = "workstreams"

urlpatterns = [
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("workstreams/<int:pk>/", views.workstream, name="workstream"),
    path("projects/<int:pk>/", views.project, name="project"),
    path(
        "programmes/<int:pk>/record-update/", views.record_update, {"kind": "programme"}, name="programme_record_update"
    ),
    path(
        "workstreams/<int:pk>/record-update/",
        views.record_update,
        {"kind": "workstream"},
        name="workstream_record_update",
    ),
    path("projects/<int:pk>/record-update/", views.record_update, {"kind": "project"}, name="project_record_update"),
]
