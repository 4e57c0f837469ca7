"""The audit record of cases: every view, list, change and export of a case is written as one
append-only CaseAccess row per case, in a single query however many cases a page shows."""

from collections.abc import Iterable

from django.utils import timezone

from .models import AccessAction, Case, CaseAccess


def record(request, cases: Iterable[Case], action: AccessAction) -> None:
    user = request.user
    now = timezone.now()
    path = request.get_full_path()[:300]
    CaseAccess.objects.bulk_create(
        CaseAccess(
            site_id=case.site_id,
            case=case,
            case_code=case.code,
            user=user,
            user_email=user.email,
            user_name=user.get_full_name() or "",
            action=action,
            at=now,
            path=path,
        )
        for case in cases
    )


def access_log(case: Case):
    """The access log of one case (loggutdrag), newest first."""
    return CaseAccess.objects.filter(case=case).order_by("-at", "-pk")
