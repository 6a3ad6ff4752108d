from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import pages, views

app_name = "api"


class Router(DefaultRouter):
    APIRootView = views.Root


router = Router(use_regex_path=False)
router.register("portfolios", views.PortfolioViewSet, basename="portfolio")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("workstreams", views.WorkstreamViewSet, basename="workstream")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("status-updates", views.StatusUpdateViewSet, basename="statusupdate")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("benefits", views.BenefitViewSet, basename="benefit")
router.register("custom-fields", views.CustomFieldViewSet, basename="customfield")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("token/", pages.token, name="token"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
]
