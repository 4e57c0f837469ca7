from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessingStatement(models.Model):
    """What Triad processes (personuppgiftsbehandling): the programme's one statement, kept
    up to date by the coordinators. The retention of cases and of the access record is not
    written here: the page reads it where the retention job does (cases.retention)."""

    controller = models.TextField(
        _("controller"), blank=True, help_text=_("Who is responsible for the processing.")
    )
    purposes = models.TextField(_("purposes"), blank=True)
    categories = models.TextField(
        _("categories of personal data"),
        blank=True,
        help_text=_("Whose data and which kinds: staff, contact persons, pseudonymous cases."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    other_retention = models.TextField(
        _("other retention"),
        blank=True,
        help_text=_("How long other data is kept (accounts, registrations, posts)."),
    )
    dpo_contact = models.TextField(
        _("data-protection officer"), blank=True, help_text=_("How to reach them.")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("processing statement")
        verbose_name_plural = _("processing statements")

    def __str__(self):
        return str(_("What Triad processes"))

    @classmethod
    def current(cls) -> "ProcessingStatement":
        """The one statement (an empty one until a coordinator writes it)."""
        return cls.objects.order_by("pk").first() or cls()
