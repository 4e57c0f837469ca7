from django.http import Http404
from django.shortcuts import get_object_or_404

from pilots.scoping import SiteViewMixin


class CasePageMixin(SiteViewMixin):
    """A page that shows a case. Only the site's project leads and working-group members see
    one; to everyone else — coordinators and steering members included — the page does not
    exist (404), so nothing confirms that a case is there."""

    permission = "can_see_cases"
    requires_mfa = True

    def dispatch(self, request, *args, **kwargs):
        if not request.site_access.can_see_cases():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CaseObjectMixin(CasePageMixin):
    """Loads `self.case` through the site, so another site's case answers 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.site_access.can_see_cases():
            self.case = get_object_or_404(
                request.site.cases.select_related("school", "practical_test", "site", "created_by"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("case", self.case)
        return super().get_context_data(**kwargs)


class TestObjectMixin(SiteViewMixin):
    """Loads `self.test` through the site."""

    def dispatch(self, request, *args, **kwargs):
        self.test = get_object_or_404(
            request.site.practical_tests.select_related("site", "follows"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("test", self.test)
        return super().get_context_data(**kwargs)
