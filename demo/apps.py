from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration programme (from the seed report) and the portfolio generator for benchmarks: the top
    layer, which may use every app and which no app uses."""

    name = "demo"
    verbose_name = "Demonstration data"
