from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from changeprog import sso, views
from reporting import views as reporting_views

urlpatterns = [
    path("", reporting_views.my_work, name="home"),  # each person starts from what they owe
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("status-levels.css", views.status_level_css, name="status-level-css"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/locks/", views.signin_locks, name="signin_locks"),
    path("accounts/email/", views.mail_preferences, name="mail_preferences"),
    path("comments/<slug:kind>/<int:pk>/", views.comment_thread, name="comment_thread"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("accounts/email/unsubscribe/<str:token>/", views.mail_unsubscribe, name="mail_unsubscribe"),
    path("admin/", admin.site.urls),
    path("", include(sso.urlpatterns)),
    path("", include("workstreams.urls")),
    path("risks/", include("risks.urls")),
    path("finance/", include("finance.urls")),
    path("reports/", include("reporting.urls")),
    path("assurance/", include("assurance.urls")),
    path("api/", include("api.urls")),
]

handler400 = "changeprog.views.bad_request"

admin.site.site_header = "ChangeProg administration"
admin.site.site_title = "ChangeProg"
