from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The pseudonymity guard's message lives in infra.pnr, which must not depend on cases; it is
# marked here as well so that this app's catalogue carries its Swedish translation.
GUARD_MESSAGE = gettext_noop(
    "Remove the personal identity number or coordination number (%(found)s). "
    "Triad is kept pseudonymous: write no names, numbers or other details that identify "
    "a child or a guardian."
)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Practical tests and cases")

    def ready(self):
        from . import casedata

        casedata.connect()
