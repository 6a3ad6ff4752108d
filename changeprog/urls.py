from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from changeprog import views
from workstreams import views as workstream_views

urlpatterns = [
    path("", workstream_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("status-levels.css", views.status_level_css, name="status-level-css"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("workstreams.urls")),
    path("risks/", include("risks.urls")),
    path("reports/", include("reporting.urls")),
    path("assurance/", include("assurance.urls")),
]

admin.site.site_header = "ChangeProg administration"
admin.site.site_title = "ChangeProg"
