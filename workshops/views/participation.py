"""What each person does for themselves: register and cancel, put workshops in their calendar,
and choose which reminders they get."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView
from django_scopes import scope

from infra.mail import absolute
from pilots.access import memberships_of, sites_followed

from .. import calendars, services
from ..forms import ReminderSettingsForm, SelfRegistrationForm
from ..models import (
    CalendarFeed,
    Registration,
    ReminderKind,
    ReminderOptOut,
    SentReminder,
    Workshop,
)

FEED_SESSION_KEY = "workshops_new_feed_token"


def visible_workshop(user, pk) -> Workshop:
    """The workshop, if the person may see it (else 404)."""
    return get_object_or_404(Workshop.objects.restrict(user).select_related("programme"), pk=pk)


class RegisterView(FormView):
    """Register oneself. Someone invited through one site registers with one click; someone
    invited through several says which site they come for."""

    form_class = SelfRegistrationForm
    template_name = "workshops/register.html"

    def dispatch(self, request, *args, **kwargs):
        # Registering is for the people of the sites: anyone else (a coordinator without a
        # site) is refused before the workshop is looked for.
        if not memberships_of(request.user).exists():
            raise PermissionDenied
        self.workshop = visible_workshop(request.user, kwargs["pk"])
        self.sites = self.workshop.invitation_sites(request.user)
        if not self.sites.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sites"] = self.sites
        if self.request.method == "POST" and "site" not in self.request.POST:
            only = list(self.sites[:2])
            if len(only) == 1:
                kwargs["data"] = {"site": only[0].pk}
        return kwargs

    def get_context_data(self, **kwargs):
        existing = (
            Registration.objects.active()
            .filter(workshop=self.workshop, user=self.request.user)
            .select_related("site")
            .first()
        )
        return super().get_context_data(
            workshop=self.workshop,
            existing=existing,
            registration_open=self.workshop.registration_is_open(),
            single_site=self.sites.count() == 1,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.register(
                self.workshop, self.request.user, form.cleaned_data["site"], by=self.request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("You are registered for %(workshop)s. It is in your calendar feed too.")
            % {"workshop": self.workshop.title},
        )
        return redirect(self.workshop)


class CancelView(TemplateView):
    """Cancel one's own registration, until registration closes."""

    template_name = "workshops/confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.workshop = visible_workshop(request.user, kwargs["pk"])
        self.registration = (
            Registration.objects.active().filter(workshop=self.workshop, user=request.user).first()
        )
        if self.registration is None:
            messages.info(request, _("You are not registered for this workshop."))
            return redirect(self.workshop)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Cancel registration"),
            question=_("Cancel your registration for %(workshop)s on %(date)s?")
            % {"workshop": self.workshop.title, "date": self.workshop.date},
            button=_("Cancel my registration"),
            button_class="btn-danger",
            back=self.workshop,
            **kwargs,
        )

    def post(self, request, pk):
        try:
            services.cancel(self.registration, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(self.workshop)


@require_GET
def workshop_ics(request, pk):
    """The workshop as a calendar event to import."""
    workshop = visible_workshop(request.user, pk)
    body = calendars.calendar([workshop], name=workshop.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"workshop-{workshop.number}-{slugify(workshop.title)[:40] or workshop.pk}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def calendar_feed(request, token):
    """A person's private feed: the workshops they are registered for. The secret in the
    address is the only credential, so calendar programs can subscribe to it."""
    feed = calendars.feed_for(token)
    if feed is None:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    # No one is signed in: the feed's owner stands in, with the sites they follow.
    with scope(site=sites_followed(feed.user)):
        registered = list(
            Registration.objects.active()
            .filter(user=feed.user, workshop__is_published=True)
            .select_related("workshop__programme")
            .order_by("workshop__starts_at")
        )
    body = calendars.calendar([r.workshop for r in registered], name=_("Triad workshops"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


class ReminderSettingsView(FormView):
    """Which reminders a person gets, their private calendar address, and what was sent."""

    form_class = ReminderSettingsForm
    template_name = "workshops/reminder_settings.html"

    def get_initial(self):
        muted = set(
            ReminderOptOut.objects.filter(user=self.request.user).values_list("kind", flat=True)
        )
        return {"kinds": [k for k in ReminderKind.values if k not in muted]}

    def get_context_data(self, **kwargs):
        user = self.request.user
        token = self.request.session.pop(FEED_SESSION_KEY, None)
        feed = CalendarFeed.objects.filter(user=user).first()
        return super().get_context_data(
            feed=feed,
            feed_url=absolute(reverse("workshops:calendar_feed", kwargs={"token": token}))
            if token and feed
            else None,
            recent=SentReminder.objects.filter(recipient=user)
            .select_related("workshop")
            .order_by("-sent_at")[:10],
            **kwargs,
        )

    @transaction.atomic
    def form_valid(self, form):
        user = self.request.user
        wanted = set(form.cleaned_data["kinds"])
        ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
        for kind in set(ReminderKind.values) - wanted:
            ReminderOptOut.objects.get_or_create(user=user, kind=kind)
        messages.success(self.request, _("Your reminder settings are saved."))
        return redirect("workshops:reminder_settings")


@require_POST
def calendar_feed_manage(request):
    """Create or renew the private calendar address (the old one stops working), or revoke it."""
    if request.POST.get("action") == "revoke":
        calendars.revoke_feed(request.user)
        messages.success(request, _("Your calendar address is revoked; it no longer works."))
    else:
        request.session[FEED_SESSION_KEY] = calendars.renew_feed(request.user)
        messages.success(
            request,
            _("Your new calendar address is below. Copy it now: it is shown only this once."),
        )
    return redirect(reverse("workshops:reminder_settings") + "#calendar")
