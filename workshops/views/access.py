"""How programme-level pages find what a person may see. A workshop of a programme none of the
person's sites takes part in answers 404, like another site's object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pilots.models import Membership

from ..models import Programme, Workshop


def my_site_ids(user):
    return Membership.objects.active().filter(user=user).values("site")


def programmes_for(user):
    if user.is_coordinator:
        return Programme.objects.all()
    return Programme.objects.filter(sites__in=my_site_ids(user)).distinct()


def workshop_for(user, pk, queryset=None) -> Workshop:
    queryset = queryset if queryset is not None else Workshop.objects.all()
    return get_object_or_404(queryset.visible_to(user).select_related("programme"), pk=pk)


class CoordinatorAtSiteMixin:
    """For site pages that only coordinators use (reviewing a site's delivery). Put after
    SiteViewMixin: the site's people get 403, everyone else already got 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
