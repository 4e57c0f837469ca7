from django.utils.functional import SimpleLazyObject

from pilots.access import memberships_of


def navigation(request):
    """The sites the signed-in person has a role at, for the menu (read only if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def my_sites():
        rows = memberships_of(user).select_related("site").order_by("site__name")
        sites = {}
        for m in rows:
            sites.setdefault(m.site, []).append(m.get_role_display())
        return list(sites.items())

    return {
        "my_sites": SimpleLazyObject(my_sites),
        "current_site": getattr(request, "site", None),
        "current_access": getattr(request, "site_access", None),
    }
