from django.apps import AppConfig


class ChangeprogConfig(AppConfig):
    name = "changeprog"
    verbose_name = "ChangeProg"
