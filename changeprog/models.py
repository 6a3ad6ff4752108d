"""Models of the core: what every app's pages share."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """A create form that has been acted on, by its one-time token: a second submit of the same form (a double
    click, a browser retry) finds it and goes to what the first one made instead of making it again."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self):
        return f"Submission {self.token}"
