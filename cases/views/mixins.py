from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from pilots.scoping import SiteViewMixin

from ..models import AccessAction


class CasePageMixin(SiteViewMixin):
    """A page that shows a case. Only the site's project leads and working-group members see
    one; to everyone else — coordinators and steering members included — the page does not
    exist (404), so nothing confirms that a case is there.

    Every case page carries the "shows case data" mark (cases/casedata.py): the second factor
    first, an access record for each case the response shows, and Cache-Control: no-store, so
    a shared computer's back button or disk cache does not show it to the next person. A page
    that counts its cases otherwise than "opened" says so with its own `shows_case_data`."""

    permission = "can_see_cases"
    shows_case_data = AccessAction.VIEWED

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
    """Loads `self.test` through the site, once the person's role allows the page."""

    @cached_property
    def test(self):
        return get_object_or_404(
            self.site.practical_tests.select_related("site", "follows"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("test", self.test)
        return super().get_context_data(**kwargs)
