from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistrationStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("registration status", "New")
    IN_DIALOGUE = "dialogue", _("In dialogue")
    ACCEPTED = "accepted", pgettext_lazy("registration status", "Accepted")
    DECLINED = "declined", pgettext_lazy("registration status", "Declined")


class Scope(models.TextChoices):
    SCHOOLS = "schools", _("Named schools")
    MUNICIPALITY = "municipality", _("The whole municipality")


class InterestRegistration(models.Model):
    """A municipality's or region's registration of interest in the pre-study (intresseanmälan)."""

    municipality_name = models.CharField(_("municipality"), max_length=150)
    region_name = models.CharField(_("region"), max_length=150)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    schools = models.TextField(
        _("schools"), blank=True, help_text=_("One school per line, if you register named schools.")
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_title = models.CharField(_("title"), max_length=150, blank=True)
    contact_organisation = models.CharField(
        _("organisation"), max_length=200, help_text=_("Where the contact person works.")
    )
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    local_needs = models.TextField(
        _("local needs"),
        help_text=_("What you see in your schools today and what you hope the work will change."),
    )
    consent_to_store = models.BooleanField(
        _("consent to keep the contact details"),
        help_text=_("The programme keeps these details to run the dialogue with you."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.NEW,
    )
    follow_token_digest = models.CharField(max_length=64, unique=True, editable=False)
    site = models.OneToOneField(
        "pilots.PilotSite",
        verbose_name=_("pilot site"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_at = models.DateTimeField(
        pgettext_lazy("registration", "decided"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interest registration")
        verbose_name_plural = _("interest registrations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_to_store=True), name="registration_has_consent"
            ),
        ]

    def __str__(self):
        return (
            # The local date: in UTC a registration sent after midnight would be dated yesterday.
            f"{self.municipality_name} ({timezone.localtime(self.created_at):%Y-%m-%d})"
            if self.created_at
            else self.municipality_name
        )

    @property
    def is_open(self):
        return self.status in (RegistrationStatus.NEW, RegistrationStatus.IN_DIALOGUE)

    def school_names(self):
        return [line.strip() for line in self.schools.splitlines() if line.strip()]


class RegistrationNote(models.Model):
    """A coordinator's note from the dialogue with an applicant."""

    registration = models.ForeignKey(
        InterestRegistration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(pgettext_lazy("dialogue note", "written"), auto_now_add=True)

    class Meta:
        verbose_name = _("dialogue note")
        verbose_name_plural = _("dialogue notes")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]
