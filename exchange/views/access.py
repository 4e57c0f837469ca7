"""Who may use the exchange's programme-level pages: everyone with a role at a site, and the
national coordinators (pilots.access.takes_part). Site pages are scoped by pilots.scoping like
every other site page."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pilots.access import takes_part


class SiteOrProgrammeMixin:
    """A page that exists both programme-wide (/exchange/…) and within a site
    (/sites/<site_slug>/exchange/…): `self.site` is the site or None."""

    def dispatch(self, request, *args, **kwargs):
        if "site_slug" in kwargs:
            # The scoping middleware has already answered 404 to anyone without a role there.
            self.site, self.access = request.site, request.site_access
        else:
            if not takes_part(request.user):
                raise PermissionDenied
            self.site, self.access = None, None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("site", self.site)
        kwargs.setdefault("access", self.access)
        return super().get_context_data(**kwargs)

    def here(self, model):
        """The objects of this page's scope that the person may see: the site's, or the
        programme's own (those with no site)."""
        return model.objects.restrict(self.request.user).filter(site=self.site)

    def url(self, name, **kwargs):
        """The address of this page's sibling in the same scope."""
        if self.site is not None:
            return reverse(f"exchange:site_{name}", kwargs={"site_slug": self.site.slug, **kwargs})
        return reverse(f"exchange:{name}", kwargs=kwargs)
