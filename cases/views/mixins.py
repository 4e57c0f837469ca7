from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property

from pilots.scoping import SiteViewMixin


class CasePageMixin(SiteViewMixin):
    """A page that shows a case. Only the site's project leads and working-group members see
    one; to everyone else — coordinators and steering members included — the page does not
    exist (404), so nothing confirms that a case is there.

    No case page or export is kept by the browser or a proxy (Cache-Control: no-store): a
    shared computer's back button or disk cache must not show it to the next person."""

    permission = "can_see_cases"
    requires_mfa = True

    def dispatch(self, request, *args, **kwargs):
        if not request.site_access.can_see_cases():
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


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
    """Loads `self.test` through the site, once the person's role allows the page."""

    @cached_property
    def test(self):
        return get_object_or_404(
            self.site.practical_tests.select_related("site", "follows"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("test", self.test)
        return super().get_context_data(**kwargs)
