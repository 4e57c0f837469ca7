from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_change_counting(sender, using="default", **kwargs):
    from .changes import install

    install(using)


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Progress dashboards")

    def ready(self):
        # After every migrate (and so in every test database): the triggers that count each
        # site's changes follow the models as they are now (dashboards/changes.py).
        post_migrate.connect(_install_change_counting, sender=self, dispatch_uid="site-changes")
