"""Who may use the workshops' site pages that only coordinators use. Programme-level pages
read their objects through `Model.objects.restrict(user)` (pilots.access): a workshop of a
programme none of the person's sites takes part in answers 404, like another site's object."""

from django.core.exceptions import PermissionDenied


class CoordinatorAtSiteMixin:
    """For site pages that only coordinators use (reviewing a site's delivery). Put after
    SiteViewMixin: the site's people get 403, everyone else already got 404. The view loads
    its object afterwards, so the 403 does not depend on whether the object exists."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
