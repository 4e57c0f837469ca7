"""Logic that spans models: registering and cancelling, taking attendance, delivering work and
reviewing it. Views call these; each checks the rules itself, so no view can skip one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from infra.mail import absolute, send_templated
from pilots.models import Membership, Role

from .models import Delivery, DeliveryEvent, DeliveryStatus, Registration, Workshop


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _invitation(workshop: Workshop, user, site) -> Membership | None:
    return (
        workshop.invited_memberships()
        .filter(user=user, site=site)
        .order_by("role")  # a lead's membership first: it names the actor best
        .first()
    )


@transaction.atomic
def register(workshop: Workshop, user, site, *, by) -> Registration:
    """Register `user` for `workshop` on behalf of `site`.

    Everyone is bound by the registration period and the site's places, except coordinators,
    who may register anyone at any time (e.g. someone who turns up on the day)."""
    # Lock the workshop so two people cannot take the site's last place at the same moment.
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    membership = _invitation(workshop, user, site)
    if membership is None:
        raise ValidationError(
            _("%(person)s is not invited to this workshop through %(site)s.")
            % {"person": user, "site": site},
            code="not_invited",
        )
    if not by.is_coordinator:
        now = timezone.now()
        if now < workshop.registration_opens_at:
            raise ValidationError(
                _("Registration opens on %(date)s.")
                % {"date": _day(workshop.registration_opens_at)},
                code="not_open",
            )
        if now >= workshop.registration_closes_at:
            raise ValidationError(
                _("Registration closed on %(date)s. Ask a coordinator if you still need a place.")
                % {"date": _day(workshop.registration_closes_at)},
                code="closed",
            )
    standing = Registration.objects.active().filter(workshop=workshop)
    if standing.filter(user=user).exists():
        raise ValidationError(
            _("%(person)s is already registered.") % {"person": user}, code="duplicate"
        )
    if workshop.seats_per_site is not None and not by.is_coordinator:
        taken = standing.filter(site=site).count()
        if taken >= workshop.seats_per_site:
            raise ValidationError(
                ngettext(
                    "%(site)s has taken its %(seats)s place at this workshop. Cancel "
                    "someone's registration first, or ask a coordinator.",
                    "%(site)s has taken all its %(seats)s places at this workshop. Cancel "
                    "someone's registration first, or ask a coordinator.",
                    workshop.seats_per_site,
                )
                % {"site": site, "seats": workshop.seats_per_site},
                code="full",
            )
    return Registration.objects.create(
        workshop=workshop, user=user, site=site, actor=membership.actor, registered_by=by
    )


def can_cancel(registration: Registration, by) -> bool:
    return by.is_coordinator or (
        registration.cancelled_at is None
        and timezone.now() < registration.workshop.registration_closes_at
    )


@transaction.atomic
def cancel(registration: Registration, *, by) -> None:
    """Cancel a registration. After the deadline only a coordinator can."""
    if registration.cancelled_at is not None:
        return
    if not can_cancel(registration, by):
        raise ValidationError(
            _("Registrations can no longer be cancelled here. Tell a coordinator instead."),
            code="closed",
        )
    registration.cancelled_at = timezone.now()
    registration.cancelled_by = by
    registration.attended = None
    registration.save(update_fields=["cancelled_at", "cancelled_by", "attended"])


@transaction.atomic
def take_attendance(workshop: Workshop, present_ids, *, by, among=None) -> int:
    """Mark who came: the listed standing registrations attended, the others did not — the
    others among `among` (the registrations a page showed) when given, else all of them."""
    standing = Registration.objects.active().filter(workshop=workshop)
    if among is not None:
        standing = standing.filter(pk__in=among)
    present = set(standing.filter(pk__in=present_ids).values_list("pk", flat=True))
    standing.filter(pk__in=present).update(attended=True)
    standing.exclude(pk__in=present).update(attended=False)
    return len(present)


def _notify_leads(delivery: Delivery, template: str, context: dict) -> None:
    leads = (
        Membership.objects.active()
        .filter(site=delivery.site, role=Role.LEAD, user__is_active=True)
        .select_related("user")
    )
    link = absolute(
        reverse(
            "workshops:site_deliverable",
            kwargs={"site_slug": delivery.site.slug, "pk": delivery.deliverable_id},
        )
    )
    for person in {m.user for m in leads}:
        send_templated(
            person.email,
            template,
            {"person": person, "delivery": delivery, "link": link, **context},
            language=person.language,
        )


@transaction.atomic
def deliver(deliverable, site, *, by, linked=None, upload=None, note="") -> Delivery:
    """Record the site's delivery (a linked object of the site, or a file); delivering again
    replaces the earlier one and sends it back to review."""
    if linked is None and upload is None:
        raise ValidationError(_("Link something from Triad or upload a file."), code="empty")
    if linked is not None and getattr(linked, "site_id", None) != site.pk:
        raise ValidationError(_("That item does not belong to this site."), code="foreign")
    delivery = (
        Delivery.objects.select_for_update().filter(deliverable=deliverable, site=site).first()
    )
    if delivery is None:
        delivery = Delivery(deliverable=deliverable, site=site)
    old_file = delivery.file.name if delivery.file else ""
    delivery.status = DeliveryStatus.SUBMITTED
    delivery.linked = linked
    if linked is None:
        delivery.content_type = None
        delivery.object_id = None
    if upload is not None:
        delivery.file.save(upload.name, upload, save=False)
        delivery.original_name = upload.name[-255:]
    else:
        delivery.file = ""
        delivery.original_name = ""
    delivery.note = note
    delivery.submitted_by = by
    delivery.submitted_at = timezone.now()
    delivery.reviewed_by = None
    delivery.reviewed_at = None
    delivery.review_comment = ""
    delivery.save()
    DeliveryEvent.objects.create(
        delivery=delivery, action=DeliveryEvent.Action.SUBMITTED, comment=note, by=by
    )
    if old_file and old_file != delivery.file.name:
        storage = delivery.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return delivery


@transaction.atomic
def review(delivery: Delivery, *, by, status: str, comment: str = "") -> Delivery:
    """A coordinator's verdict on a delivery; the site's project leads are told by e-mail."""
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators review deliveries."), code="forbidden")
    if status == DeliveryStatus.NEEDS_REVISION and not comment.strip():
        raise ValidationError(
            _("Say what needs to change, so the site can revise it."), code="comment"
        )
    delivery.status = status
    delivery.reviewed_by = by
    delivery.reviewed_at = timezone.now()
    delivery.review_comment = comment
    delivery.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    DeliveryEvent.objects.create(delivery=delivery, action=status, comment=comment, by=by)
    _notify_leads(delivery, "workshops/email/delivery_reviewed", {"reviewer": by})
    return delivery
