"""A site's part in the programme, under /sites/<slug>/workshops/: who of the site is
registered, what the site must deliver and where each delivery stands. Everything is fetched
through the site, so another site's registration or delivery answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from infra.uploads import serve_file
from pilots.models import User
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from .. import linking, progress, services
from ..forms import DeliveryForm, ReviewForm, SiteRegistrationForm
from ..models import Deliverable, Delivery, Registration, Workshop


def site_workshops(site, user):
    """The workshops of the programmes the site takes part in that the person may see
    (published ones, unless the person is a coordinator)."""
    return Workshop.objects.restrict(user).filter(programme__sites=site).select_related("programme")


def site_deliverables(site, user):
    return (
        Deliverable.objects.restrict(user)
        .filter(workshop__programme__sites=site)
        .select_related("workshop__programme")
    )


class SiteProgrammeView(SiteViewMixin, TemplateView):
    """The site's workshops: who is registered, and what the site owes before each."""

    template_name = "workshops/site_programme.html"

    def get_context_data(self, **kwargs):
        workshops = list(
            site_workshops(self.site, self.request.user)
            .prefetch_related(
                Prefetch(
                    "deliverables",
                    queryset=Deliverable.objects.restrict(self.request.user).order_by("due_at"),
                ),
                Prefetch(
                    "registrations",
                    queryset=Registration.objects.active()
                    .filter(site=self.site)
                    .select_related("user"),
                    to_attr="site_registrations",
                ),
            )
            .order_by("programme_id", "number", "starts_at")  # grouped under their programme
        )
        states = progress.site_states(
            self.site, [d for w in workshops for d in w.deliverables.all()]
        )
        rows = [
            {
                "workshop": w,
                "registrations": w.site_registrations,
                "states": [s for s in states if s.deliverable.workshop_id == w.pk],
            }
            for w in workshops
        ]
        return super().get_context_data(rows=rows, owed=[s for s in states if s.owed], **kwargs)


class SiteRegistrationsView(SiteViewMixin, FormView):
    """A project lead registers the site's people for a workshop, and sees who is registered."""

    permission = "can_manage"
    form_class = SiteRegistrationForm
    template_name = "workshops/site_registrations.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(
            site_workshops(self.site, self.request.user), pk=self.kwargs["workshop_pk"]
        )

    def registered(self):
        return (
            Registration.objects.active()
            .filter(workshop=self.workshop, site=self.site)
            .select_related("user", "registered_by")
        )

    def candidates(self):
        invited = self.workshop.invited_memberships().filter(site=self.site).values("user")
        taken = Registration.objects.active().filter(workshop=self.workshop).values("user")
        return User.objects.filter(pk__in=invited, is_active=True).exclude(pk__in=taken)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": self.candidates()}

    def get_context_data(self, **kwargs):
        registered = list(self.registered())
        seats = self.workshop.seats_per_site
        return super().get_context_data(
            workshop=self.workshop,
            registered=registered,
            seats_left=None if seats is None else max(seats - len(registered), 0),
            registration_open=self.workshop.registration_is_open(),
            **kwargs,
        )

    def form_valid(self, form):
        done = []
        people = list(form.cleaned_data["people"])
        for index, person in enumerate(people):
            try:
                services.register(self.workshop, person, self.site, by=self.request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
                # Say who is left out, not only why: the lead picked them by name.
                form.add_error(
                    None,
                    _("Not registered: %(names)s.")
                    % {"names": ", ".join(str(p) for p in people[index:])},
                )
                break
            done.append(person)
        if done:
            messages.success(
                self.request,
                _("Registered: %(names)s.") % {"names": ", ".join(str(p) for p in done)},
            )
        if form.errors:
            return self.form_invalid(form)
        return redirect(
            "workshops:site_registrations",
            site_slug=self.site.slug,
            workshop_pk=self.workshop.pk,
        )


class SiteRegistrationCancelView(SiteViewMixin, TemplateView):
    """A project lead cancels the registration of one of the site's people."""

    permission = "can_manage"
    template_name = "workshops/confirm.html"

    @cached_property
    def registration(self):
        return get_object_or_404(
            Registration.objects.filter(site=self.site).select_related("user", "workshop"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        if self.registration.is_cancelled:
            messages.info(request, _("That registration is already cancelled."))
            return self.back()
        return super().get(request, *args, **kwargs)

    def back(self):
        return redirect(
            "workshops:site_registrations",
            site_slug=self.site.slug,
            workshop_pk=self.registration.workshop_id,
        )

    def get_context_data(self, **kwargs):
        r = self.registration
        return super().get_context_data(
            heading=_("Cancel registration"),
            question=_("Cancel the registration of %(person)s for %(workshop)s?")
            % {"person": r.user, "workshop": r.workshop.title},
            button=_("Cancel registration"),
            button_class="btn-danger",
            back_url=self.back().url,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.cancel(self.registration, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The registration of %(person)s is cancelled.")
                % {"person": self.registration.user},
            )
        return self.back()


class DeliverableMixin(SiteViewMixin):
    @cached_property
    def deliverable(self):
        return get_object_or_404(
            site_deliverables(self.site, self.request.user), pk=self.kwargs["pk"]
        )

    @cached_property
    def delivery(self):
        return (
            Delivery.objects.filter(deliverable=self.deliverable, site=self.site)
            .select_related("submitted_by", "reviewed_by")
            .first()
        )

    def get_context_data(self, **kwargs):
        state = progress.DeliverableState(
            self.deliverable,
            self.delivery,
            self.deliverable.is_overdue and self.delivery is None,
        )
        return super().get_context_data(
            deliverable=self.deliverable,
            workshop=self.deliverable.workshop,
            delivery=self.delivery,
            state=state,
            linked=linking.describe(self.delivery) if self.delivery else None,
            events=self.delivery.events.select_related("by") if self.delivery else [],
            **kwargs,
        )


class SiteDeliverableView(DeliverableMixin, TemplateView):
    """What the site must deliver, what it delivered, and the coordinators' review."""

    template_name = "workshops/site_deliverable.html"


class SiteDeliverView(DeliverableMixin, FormView):
    """Deliver (or deliver again): link the site's plan, analysis or test, or upload a file."""

    permission = "can_manage"
    form_class = DeliveryForm
    template_name = "workshops/site_deliver.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "site": self.site,
            "deliverable": self.deliverable,
        }

    def form_valid(self, form):
        try:
            services.deliver(
                self.deliverable,
                self.site,
                by=self.request.user,
                linked=form.cleaned_data.get("linked_object"),
                upload=form.cleaned_data.get("upload"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Delivered. The coordinators will review it."))
        return redirect(
            "workshops:site_deliverable", site_slug=self.site.slug, pk=self.deliverable.pk
        )


class DeliveryFileView(SiteViewMixin, View):
    """The file a site delivered, for the site's people and coordinators, as an attachment."""

    def get(self, request, *args, **kwargs):
        delivery = get_object_or_404(Delivery.objects.filter(site=self.site), pk=kwargs["pk"])
        return serve_file(delivery.file, delivery.original_name or "delivery")


class DeliveryReviewView(CoordinatorRequiredMixin, SiteViewMixin, FormView):
    """A coordinator accepts a site's delivery or sends it back with a comment."""

    form_class = ReviewForm
    template_name = "workshops/delivery_review.html"

    @cached_property
    def delivery(self):
        return get_object_or_404(
            Delivery.objects.filter(site=self.site).select_related(
                "deliverable__workshop__programme", "submitted_by", "reviewed_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        if self.delivery.status == "submitted":
            return {}
        return {"status": self.delivery.status, "comment": self.delivery.review_comment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            delivery=self.delivery,
            deliverable=self.delivery.deliverable,
            state=progress.DeliverableState(self.delivery.deliverable, self.delivery, False),
            linked=linking.describe(self.delivery),
            events=self.delivery.events.select_related("by"),
            **kwargs,
        )

    def form_valid(self, form):
        services.review(
            self.delivery,
            by=self.request.user,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(
            self.request,
            _("Your review is saved and the site's project leads are told."),
        )
        return redirect(
            "workshops:programme_progress", pk=self.delivery.deliverable.workshop.programme_id
        )
