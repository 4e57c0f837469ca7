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
    """Loads `self.case` through the site, so another site's case answers 404. A page that
    reads little of the case itself may name the fields it reads (`case_fields`)."""

    case_fields = None  # every field, with the case's school, test, site and author

    @staticmethod
    def whole_cases(site):
        return site.cases.select_related("school", "practical_test", "site", "created_by")

    def case_queryset(self, site):
        if self.case_fields:
            return site.cases.only(*self.case_fields)
        return self.whole_cases(site)

    def dispatch(self, request, *args, **kwargs):
        if request.site_access.can_see_cases():
            self.case = get_object_or_404(self.case_queryset(request.site), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("case", self.case)
        return super().get_context_data(**kwargs)


class TestObjectMixin(SiteViewMixin):
    """Loads `self.test` through the site, once the person's role allows the page. A page that
    reads little of the test itself may name the fields it reads (`test_fields`)."""

    test_fields = None  # every field, with the test's site and the test it follows

    def whole_tests(self):
        return self.site.practical_tests.select_related("site", "follows")

    @cached_property
    def test(self):
        if self.test_fields:
            tests = self.site.practical_tests.only(*self.test_fields)
        else:
            tests = self.whole_tests()
        return get_object_or_404(tests, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("test", self.test)
        return super().get_context_data(**kwargs)
