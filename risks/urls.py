from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.register_list, name="register_list"),
    path("outside-appetite/", views.outside_appetite, name="outside_appetite"),
    path("heat-map/", views.heatmap, name="heatmap"),
    path("registers/search/", views.register_search, name="register_search"),
    path("import/", views.register_import, name="import"),
    path("dependencies/import/", views.dependencies_import, name="dependencies_import"),
    path("assessments/import/", views.assessments_import, name="assessments_import"),
    path("<int:pk>/", views.risk_detail, name="risk"),
    path("<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("<int:pk>/review/", views.risk_review, name="risk_review"),
    path("<int:pk>/close/", views.risk_close, name="risk_close"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("registers/<int:pk>/new/", views.risk_create, name="risk_create"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/decide/", views.escalation_decide, name="escalation_decide"),
    path("programmes/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("projects/<int:pk>/assess/", views.assess, name="assess"),
    path("projects/<int:pk>/", views.project_risks, name="project"),
    path("projects/<int:pk>/dependencies/new/", views.dependency_create, name="dependency_create"),
    path("dependencies/<int:pk>/edit/", views.dependency_edit, name="dependency_edit"),
    path("programmes/<int:pk>/dependencies/", views.dependency_map, name="dependency_map"),
]
