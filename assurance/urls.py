from django.urls import path

from assurance import views

app_name = "assurance"

urlpatterns = [
    path("drivers/", views.drivers, name="drivers"),
    path("drivers/new/", views.driver_create, name="driver_create"),
    path("drivers/import/", views.drivers_import, name="drivers_import"),
    path("drivers/<int:pk>/", views.driver, name="driver"),
    path("drivers/<int:pk>/edit/", views.driver_edit, name="driver_edit"),
    path("drivers/<int:pk>/link/", views.driver_link, name="driver_link"),
    path("drivers/<int:pk>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("evidence/<int:pk>/accept/", views.evidence_accept, name="evidence_accept"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("programmes/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("programmes/<int:pk>/cases/", views.cases, name="cases"),
    path("programmes/<int:pk>/cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("cases/<int:pk>/new-version/", views.case_new_version, name="case_new_version"),
    path("programmes/<int:pk>/benefits/", views.benefits, name="benefits"),
    path("programmes/<int:pk>/benefits/new/", views.benefit_create, name="benefit_create"),
    path("benefits/<int:pk>/edit/", views.benefit_edit, name="benefit_edit"),
    path("benefits/import/", views.benefits_import, name="benefits_import"),
    path("benefits/<int:pk>/measure/", views.benefit_measure, name="benefit_measure"),
    path("programmes/<int:pk>/embedding/", views.embedding, name="embedding"),
    path("programmes/<int:pk>/embedding/new/", views.embedding_create, name="embedding_create"),
    path("embedding/<int:pk>/edit/", views.embedding_edit, name="embedding_edit"),
    path("programmes/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("programmes/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
]
