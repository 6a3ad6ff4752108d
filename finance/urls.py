from django.urls import path

from finance import views
from workstreams.importer.register import import_view

app_name = "finance"

urlpatterns = [
    path("programmes/<int:pk>/", views.item, {"kind": "programme"}, name="programme"),
    path("workstreams/<int:pk>/", views.item, {"kind": "workstream"}, name="workstream"),
    path("projects/<int:pk>/", views.item, {"kind": "project"}, name="project"),
    path("programmes/<int:pk>/edit/", views.edit, {"kind": "programme"}, name="programme_edit"),
    path("workstreams/<int:pk>/edit/", views.edit, {"kind": "workstream"}, name="workstream_edit"),
    path("projects/<int:pk>/edit/", views.edit, {"kind": "project"}, name="project_edit"),
    path("programmes/<int:pk>/tolerance/", views.tolerance, name="tolerance"),
    path(
        "import/",
        import_view(
            "finance.importer.FinanceImport", slug="finance", back="workstreams:programme_list", back_label="Programmes"
        ),
        name="import",
    ),  # fmt: skip
]
