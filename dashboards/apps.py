from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _install_change_counting(sender, using="default", **kwargs):
    from .changes import install

    install(using)


def _uninstall_change_counting(sender, using="default", **kwargs):
    from .changes import uninstall_for_migrations

    uninstall_for_migrations(using)


def _remove_pdf_file(sender, instance, **kwargs):
    from .pdfs import remove_file

    remove_file(instance)


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Progress dashboards")

    def ready(self):
        # After every migrate (and so in every test database): the triggers that count each
        # site's changes follow the models as they are now (dashboards/changes.py).
        pre_migrate.connect(_uninstall_change_counting, sender=self, dispatch_uid="site-changes")
        post_migrate.connect(_install_change_counting, sender=self, dispatch_uid="site-changes")
        post_delete.connect(
            _remove_pdf_file, sender="dashboards.SummaryPdf", dispatch_uid="summary-pdf-file"
        )
