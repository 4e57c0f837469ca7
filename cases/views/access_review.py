"""The monthly access review (cases/access_review.py): the site's project leads judge the reads
drawn for them and may download the review; the coordinators see that every site has reviewed
— as counts, never case codes — and judge a lead's own reads where the site has no other lead."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import FormView, TemplateView, UpdateView

from infra import spreadsheets
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from .. import access_review
from ..casedata import record_before_sending
from ..forms import CoordinatorReviewForm, ReviewItemForm
from ..models import AccessAction, AccessReview, AccessReviewItem, SampleReason

REVIEWED = ~Q(verdict="")


class LeadRequiredMixin(SiteViewMixin):
    """The site's project leads only (coordinators see the review as counts elsewhere)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.site_access.is_lead:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewObjectMixin(LeadRequiredMixin):
    # The reads drawn name case codes: the second factor first, as for the access log.
    shows_case_data = AccessAction.LOG_VIEWED

    @cached_property
    def review(self):
        return get_object_or_404(
            AccessReview.objects.filter(site=self.request.site), pk=self.kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if request.site_access.is_lead:
            self.review  # noqa: B018 - another site's review is 404 before the password is asked
        return super().dispatch(request, *args, **kwargs)

    def items(self):
        return access_review.to_judge_by(self.review.items.all(), self.request.user)


class AccessReviewListView(LeadRequiredMixin, TemplateView):
    """The site's monthly reviews, with how much of each is left to the viewer."""

    template_name = "cases/access_review_list.html"

    def get_context_data(self, **kwargs):
        counts = {
            row["review"]: row
            for row in access_review.to_judge_by(
                AccessReviewItem.objects.filter(review__site=self.site), self.request.user
            )
            .values("review")
            .annotate(total=Count("pk"), done=Count("pk", filter=REVIEWED))
            .order_by()
        }
        reviews = list(AccessReview.objects.filter(site=self.site).order_by("-month"))
        for review in reviews:
            row = counts.get(review.pk, {})
            review.total, review.done = row.get("total", 0), row.get("done", 0)
        return super().get_context_data(reviews=reviews, **kwargs)


class AccessReviewDetailView(ReviewObjectMixin, TemplateView):
    """One month's reads for the viewer to judge, each with its own small form."""

    template_name = "cases/access_review_detail.html"

    def get_context_data(self, **kwargs):
        items = list(self.items().select_related("access", "reviewed_by"))
        for item in items:
            item.form = ReviewItemForm(instance=item, prefix=f"item{item.pk}")
        own = self.review.items.filter(access__user=self.request.user).count()
        return super().get_context_data(
            review=self.review,
            items=items,
            done=sum(1 for item in items if item.is_reviewed),
            own_elsewhere=own,
            **kwargs,
        )


class AccessReviewItemView(ReviewObjectMixin, UpdateView):
    """Judge one read: justified, or not, with a note."""

    form_class = ReviewItemForm
    template_name = "cases/access_review_item.html"
    context_object_name = "item"

    @cached_property
    def review(self):
        return self.get_object().review

    def get_object(self, queryset=None):
        items = AccessReviewItem.objects.filter(review__site=self.request.site).select_related(
            "review", "access"
        )
        return get_object_or_404(
            access_review.to_judge_by(items, self.request.user), pk=self.kwargs["pk"]
        )

    def get_prefix(self):
        # The same form, by the same names, as each read's form on the month's page.
        return f"item{self.kwargs['pk']}"

    def form_valid(self, form):
        access_review.review_item(
            self.object,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
            by=self.request.user,
        )
        messages.success(self.request, _("Your judgement is saved."))
        return redirect("cases:access_review_detail", self.site.slug, self.object.review_id)


class AccessReviewExportView(ReviewObjectMixin, TemplateView):
    """The month's review as a CSV or XLSX file, after the password, like the access log."""

    shows_case_data = AccessAction.LOG_EXPORTED

    @method_decorator(reauthentication_required)
    def get(self, request, *args, **kwargs):
        review = self.review
        columns = [
            spreadsheets.Column(heading)
            for heading in (
                _("When"),
                _("Person"),
                _("E-mail address"),
                _("What"),
                _("Case"),
                _("Why drawn"),
                _("Judgement"),
                pgettext("written note", "Note"),
                _("Reviewed by"),
                _("Reviewed"),
            )
        ]
        items = list(self.items().select_related("access", "reviewed_by").order_by("access__at"))
        # The file names cases: they are recorded as the access log downloaded, first.
        record_before_sending(request, {i.access.case_id for i in items if i.access.case_id})
        rows = [
            [
                item.access.at,
                item.access.user_name,
                item.access.user_email,
                item.access.get_action_display(),
                item.access.case_code,
                item.get_reason_display(),
                item.get_verdict_display(),
                item.note,
                str(item.reviewed_by or ""),
                item.reviewed_at,
            ]
            for item in items
        ]
        return spreadsheets.response(
            spreadsheets.format_of(request),
            columns,
            [rows],
            f"logguppfoljning-{self.site.slug}-{review.month:%Y-%m}",
            title=f"{review.month:%Y-%m}",
            stream=False,  # the record of these reads is written as the view returns
        )


# --- The coordinators' view: every site has reviewed; a lead's own reads as counts -------------


def coordinator_groups(items):
    """A lead's own reads sent to the coordinators, as counts per review and person: no case
    code leaves the database for these pages."""
    rows = (
        items.filter(for_coordinators=True)
        .values("review", "access__user_email", "access__user_name", "reason")
        .annotate(n=Count("pk"), done=Count("pk", filter=REVIEWED))
        .order_by("review", "access__user_email", "reason")
    )
    groups = {}
    for row in rows:
        key = (row["review"], row["access__user_email"])
        group = groups.setdefault(
            key,
            {
                "email": row["access__user_email"],
                "name": row["access__user_name"],
                "reasons": [],
                "total": 0,
                "done": 0,
            },
        )
        group["reasons"].append((SampleReason(row["reason"]).label, row["n"]))
        group["total"] += row["n"]
        group["done"] += row["done"]
    return groups


class CoordinatorAccessReviewListView(CoordinatorRequiredMixin, TemplateView):
    """Every site's monthly reviews: how many reads, how many judged. No case codes."""

    template_name = "cases/access_review_overview.html"

    def get_context_data(self, **kwargs):
        reviews = list(
            AccessReview.objects.select_related("site")
            .annotate(
                total=Count("items", filter=Q(items__for_coordinators=False)),
                done=Count(
                    "items", filter=Q(items__for_coordinators=False) & ~Q(items__verdict="")
                ),
                ours=Count("items", filter=Q(items__for_coordinators=True)),
                ours_done=Count(
                    "items", filter=Q(items__for_coordinators=True) & ~Q(items__verdict="")
                ),
            )
            .order_by("-month", "site__name")[:200]
        )
        return super().get_context_data(reviews=reviews, **kwargs)


class CoordinatorAccessReviewView(CoordinatorRequiredMixin, FormView):
    """One site's month for the coordinators: progress, and a lead's own reads as counts, to
    judge where the site has no other project lead."""

    template_name = "cases/access_review_coordinator.html"
    form_class = CoordinatorReviewForm

    @cached_property
    def review(self):
        return get_object_or_404(AccessReview.objects.select_related("site"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        counts = self.review.items.filter(for_coordinators=False).aggregate(
            total=Count("pk"), done=Count("pk", filter=REVIEWED)
        )
        groups = list(coordinator_groups(self.review.items.all()).values())
        return super().get_context_data(review=self.review, counts=counts, groups=groups, **kwargs)

    def form_valid(self, form):
        items = self.review.items.filter(
            for_coordinators=True, access__user_email=form.cleaned_data["person"]
        ).select_related("review")
        for item in items:
            access_review.review_item(
                item,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                by=self.request.user,
            )
        messages.success(self.request, _("Your judgement is saved."))
        return redirect("cases:access_review_coordinator", self.review.pk)
