from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo programme (`seed_demo`) and the national-scale generator
    (`seed_scale`). Installed by the local, test and bench settings only: production code
    never imports it."""

    name = "demo"
    verbose_name = "Demo data"
