from django.urls import path, re_path

from workstreams import views

app_name = "workstreams"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("people/search/", views.people_search, name="people_search"),
    path("portfolios/", views.portfolios, name="portfolios"),
    path("portfolios/<int:pk>/", views.portfolio, name="portfolio"),
    path("portfolios/<int:pk>/status/", views.portfolio_status, name="portfolio_status"),
    path("programmes/<int:pk>/milestones/", views.milestones, name="milestones"),
    path(
        "programmes/<int:pk>/milestones/new/",
        views.milestone_create,
        {"kind": "programme"},
        name="programme_milestone_create",
    ),
    path(
        "workstreams/<int:pk>/milestones/new/",
        views.milestone_create,
        {"kind": "workstream"},
        name="workstream_milestone_create",
    ),
    path(
        "projects/<int:pk>/milestones/new/",
        views.milestone_create,
        {"kind": "project"},
        name="project_milestone_create",
    ),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("programmes/<int:pk>/roadmap/", views.roadmap, {"kind": "programme"}, name="roadmap"),
    path("workstreams/<int:pk>/roadmap/", views.roadmap, {"kind": "workstream"}, name="workstream_roadmap"),
    path("projects/", views.portfolio_list, {"kind": "projects"}, name="project_list"),
    path("workstreams/", views.portfolio_list, {"kind": "workstreams"}, name="workstream_list"),
    path("programmes/new/", views.create_programme, name="programme_create"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("programmes/<int:pk>/edit/", views.edit_item, {"kind": "programme"}, name="programme_edit"),
    path("programmes/<int:pk>/workstreams/new/", views.create_workstream, name="workstream_create"),
    path("workstreams/<int:pk>/edit/", views.edit_item, {"kind": "workstream"}, name="workstream_edit"),
    path("workstreams/<int:pk>/projects/new/", views.create_project, name="project_create"),
    path("projects/<int:pk>/edit/", views.edit_item, {"kind": "project"}, name="project_edit"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/board/", views.board, name="board"),
    path("programmes/<int:pk>/changes/", views.changes, name="changes"),
    path("programmes/<int:pk>/review/", views.review, name="review"),
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
    path("programmes/<int:pk>/grid/", views.grid, {"kind": "programme"}, name="programme_grid"),
    path("workstreams/<int:pk>/grid/", views.grid, {"kind": "workstream"}, name="workstream_grid"),
    path("updates/<int:pk>/correct/", views.correct_update, name="update_correct"),
    path("projects/<int:pk>/record-update/", views.record_update, {"kind": "project"}, name="project_record_update"),
    re_path(
        r"^workstreams/(?P<pk>[0-9]+)/(?P<action>close|deprioritise|reopen|replan)/$",
        views.item_action,
        {"kind": "workstream"},
        name="workstream_action",
    ),
    re_path(
        r"^projects/(?P<pk>[0-9]+)/(?P<action>close|deprioritise|reopen|replan|move)/$",
        views.item_action,
        {"kind": "project"},
        name="project_action",
    ),
]
