from django.conf import settings


def site(request):
    return {"protective_marking": settings.PROTECTIVE_MARKING}
