from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.boards, name="boards"),
    path("my-work/next-paper/", views.my_work_next_paper, name="my_work_next_paper"),
    path("programmes/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("boards/<int:pk>/", views.board, name="board"),
    path("boards/<int:pk>/new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/answer/", views.challenge_answer, name="challenge_answer"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/pdf/", views.report_output, {"fmt": "pdf"}, name="report_pdf"),
    path("portfolios/<int:pk>/pdf/", views.portfolio_paper, {"fmt": "pdf"}, name="portfolio_pdf"),
    path("portfolios/<int:pk>/docx/", views.portfolio_paper, {"fmt": "docx"}, name="portfolio_docx"),
    path("portfolios/<int:pk>/papers/", views.portfolio_papers, name="portfolio_papers"),
    path("portfolio-papers/<int:pk>/pdf/", views.portfolio_paper_file, {"fmt": "pdf"}, name="portfolio_paper_pdf"),
    path("portfolio-papers/<int:pk>/docx/", views.portfolio_paper_file, {"fmt": "docx"}, name="portfolio_paper_docx"),
    path("<int:pk>/colours.css", views.report_colours, name="report_colours"),
    path("<int:pk>/docx/", views.report_output, {"fmt": "docx"}, name="report_docx"),
    path("<int:pk>/html/", views.report_output, {"fmt": "html"}, name="report_html"),
    path("<int:pk>/slides/", views.report_output, {"fmt": "pptx"}, name="report_pptx"),
    path("<int:pk>/pack/", views.report_pack, name="report_pack"),
    path("<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("<int:pk>/supersede/", views.report_supersede, name="report_supersede"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
]
