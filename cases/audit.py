"""The audit record of cases: every view, list, change and export of a case is written as one
append-only CaseAccess row per case, in one statement per CHUNK cases (a page: one statement; an
export of 50,000 cases: 25). What a request read or changed is collected by the "shows case
data" mark (casedata.py)."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from infra.audit import recorded_path

from .models import AccessAction, Case, CaseAccess

COLUMNS = ("site", "case", "case_code", "user", "user_email", "user_name", "action", "at", "path")
CHUNK = 2000  # cases per statement; kept below the database's limit on parameters


def chunks(keys, size=None):
    """The keys in lists of at most `size` (CHUNK unless given), and never more than one
    statement may carry with a few other parameters beside them."""
    size = size or CHUNK
    limit = connection.features.max_query_params
    size = max(1, min(size, limit - 16 if limit else size))
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def among(field, keys):
    """`field` is one of `keys`: on PostgreSQL as one array parameter (`= ANY(%s)`), which
    psycopg and the ORM pass on at once where 2,000 separate parameters cost them a second a
    chunk; elsewhere as IN (…)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [list(keys)])})
    return Q(**{f"{field}__in": keys})


def record(request, cases: Iterable[Case | int], action: AccessAction) -> None:
    """One CaseAccess row per case (given as cases or their keys), copied from the case rows
    by the database itself (INSERT … SELECT). The ORM's bulk_create builds and prepares a
    model instance per row, which cost the case list, where every page records 25 cases,
    twice the insert itself.

    Views do not call this: the "shows case data" mark does (cases/casedata.py)."""
    pks = sorted({getattr(case, "pk", case) for case in cases})
    if not pks:
        return
    user = request.user
    # One moment for the whole record, however many statements it takes.
    at = CaseAccess._meta.get_field("at").get_db_prep_save(timezone.now(), connection)
    values = [user.pk, user.email, user.get_full_name() or "", str(action), at]
    values.append(recorded_path(request))
    quote = connection.ops.quote_name
    into = ", ".join(quote(CaseAccess._meta.get_field(name).column) for name in COLUMNS)
    site, pk, code = (quote(Case._meta.get_field(name).column) for name in ("site", "id", "code"))
    with connection.cursor() as cursor:
        for chunk in chunks(pks):
            # Table and column names come from the models; every value is a parameter.
            if connection.vendor == "postgresql":
                where, params = f"{pk} = ANY(%s::bigint[])", [chunk]
            else:
                where, params = f"{pk} IN ({', '.join(['%s'] * len(chunk))})", chunk
            sql = (
                f"INSERT INTO {quote(CaseAccess._meta.db_table)} ({into}) "  # noqa: S608
                f"SELECT {site}, {pk}, {code}, %s, %s, %s, %s, %s, %s "
                f"FROM {quote(Case._meta.db_table)} WHERE {where} ORDER BY {pk}"
            )
            cursor.execute(sql, [*values, *params])


def access_log(case: Case):
    """The access log of one case (loggutdrag), newest first."""
    return CaseAccess.objects.filter(case=case).order_by("-at", "-pk")
