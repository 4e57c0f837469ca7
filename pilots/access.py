"""Which pilot sites a person works at: the one place that says so."""

from .models import Membership, PilotSite


def sites_of(user):
    """The ids of the sites the person follows: every site for a national coordinator, the
    sites of their current memberships for anyone else, none for an anonymous visitor."""
    if not user.is_authenticated:
        return PilotSite.objects.none().values_list("pk", flat=True)
    if user.is_coordinator:
        return PilotSite.objects.values_list("pk", flat=True)
    return Membership.objects.active().filter(user=user).values_list("site_id", flat=True)
