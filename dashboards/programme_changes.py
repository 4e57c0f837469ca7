"""The programme's count of data changes (dashboards.models.ProgrammeDataVersion): which
tables count for it, and their triggers. A table of Triad's own apps counts for the programme
unless its every row surely belongs to one site, whose own count its writes move
(dashboards/changes.py), or PROGRAMME_UNTRACKED says why its writes never change a page. The
triggers are made with the sites' after every migrate (`changes.install`)."""

from pathlib import Path

from django.apps import apps

from .changes import FEEDERS, ROOT, tracked

# Tables of Triad's own apps whose writes never change what a programme-wide page shows, and why.
PROGRAMME_UNTRACKED = {
    "infra.AuditEvent": "the audit trail of changes, shown by no kept page",
    "cases.CaseAccess": "the access record, written whenever cases are read",
    "cases.RetentionRecord": "the record of deleted cases, shown by no kept page",
    "cases.AccessReview": "the monthly follow-up of the access record, shown by no kept page",
    "cases.AccessReviewItem": "the monthly follow-up of the access record, shown by no kept page",
    "workshops.SentReminder": "reminder e-mails sent",
    "exchange.DigestSent": "digest e-mails sent",
    "exchange.AnnouncementDelivery": "announcement e-mails sent",
    "exchange.AnnouncementRead": "written whenever a person reads an announcement",
}
# The summaries and their counts: pages drawn from a summary key on the summary itself.
PROGRAMME_UNTRACKED_APPS = {"dashboards"}


def _ours(model):
    path = Path(model._meta.app_config.path).resolve()
    return path.is_relative_to(ROOT) and not any(part.startswith(".") for part in path.parts)


def _surely_one_sites(model, path):
    """Whether every row of `model` belongs to a site whose count its writes move: a direct
    path that is never empty (a vignette or thread of the whole programme has no site)."""
    if path is None or model._meta.label in FEEDERS:
        return path is None
    field = model._meta.get_field(path.partition("__")[0])
    return not getattr(field, "null", False) or field.many_to_many


def programme_tracked():
    """Every table of Triad's apps whose writes are counted for the programme."""
    per_site = tracked()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if _ours(model)
        and model._meta.app_label not in PROGRAMME_UNTRACKED_APPS
        and model._meta.label not in PROGRAMME_UNTRACKED
        and not (model in per_site and _surely_one_sites(model, per_site[model]))
    ]


PROGRAMME = "triad_programme"


def _count(connection):
    from .models import ProgrammeDataVersion

    table = connection.ops.quote_name(ProgrammeDataVersion._meta.db_table)
    one = ProgrammeDataVersion.ONE
    return (  # names from the models, no values
        f"INSERT INTO {table} (id, version) VALUES ({one}, 1) "  # noqa: S608
        f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1"
    )


def statements(connection, present):
    """The programme's counting: one function, and on each table one trigger per statement
    (PostgreSQL) or three per row (SQLite)."""
    from .models import ProgrammeDataVersion

    qn = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    if ProgrammeDataVersion._meta.db_table not in existing:
        return  # migrated back before the count existed
    tables = [m._meta.db_table for m in programme_tracked() if m._meta.db_table in existing]
    if connection.vendor == "postgresql":
        yield f"""CREATE OR REPLACE FUNCTION {qn(PROGRAMME)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_count(connection)};
    RETURN NULL;
END $$"""
        for table in tables:
            if (table, PROGRAMME) not in present:
                yield (
                    f"CREATE TRIGGER {qn(PROGRAMME)} AFTER INSERT OR UPDATE OR DELETE "
                    f"ON {qn(table)} FOR EACH STATEMENT EXECUTE FUNCTION {qn(PROGRAMME)}()"
                )
        return
    for table in tables:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            name = qn(f"{PROGRAMME}_{table}_{operation.lower()}")
            yield f"DROP TRIGGER IF EXISTS {name}"
            yield (
                f"CREATE TRIGGER {name} AFTER {operation} ON {qn(table)} FOR EACH ROW "
                f"BEGIN {_count(connection)}; END"
            )


def stale(connection, present):
    """SQL dropping the programme's triggers on tables no longer counted (PostgreSQL; on SQLite
    `_stale` drops them with the rest)."""
    wanted = {m._meta.db_table for m in programme_tracked()}
    qn = connection.ops.quote_name
    return [
        f"DROP TRIGGER IF EXISTS {qn(PROGRAMME)} ON {qn(table)}"
        for table, name in present
        if name == PROGRAMME and table not in wanted
    ]
