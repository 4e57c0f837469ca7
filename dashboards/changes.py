"""What makes a site's summary out of date, so that the nightly build rebuilds only those sites
(`dashboards.services.build_changed_summaries`). A summary is out of date when

1. **its site's data changed.** The database counts each site's changes in `SiteDataVersion`:
   after every INSERT, UPDATE and DELETE on a table a summary may read, a trigger adds one to
   the count of each site the written rows belong to — whatever wrote them: a form, a bulk
   update, a cascade, the retention job's raw SQL, the admin, a shell. A delete is counted from
   the deleted rows themselves (OLD), so it leaves its mark although it leaves no row. A
   summary keeps the count it was built from, read before its figures; any change committed
   after that read moves the count past it. Counts are compared for equality, never clocks;
2. **the day moved past one of its dates** (an action falls due, a membership starts or ends, a
   deliverable is due, a new week begins in the run chart): `SiteSummary.fresh_until`, set by
   dashboards/figures/horizon.py;
3. **the code that makes it changed** (a deploy): `SiteSummary.code_version`, a digest of the
   files below.

Which tables: every model that reaches a pilot site — a site-scoped manager's path, or a
foreign key or many-to-many to PilotSite — unless UNTRACKED says why its writes never change a
summary; the site's own row; and the programme-level tables a summary also reads (FEEDERS,
with the way to their sites). The triggers are made from this walk after every `migrate`
(post_migrate; on SQLite they are taken away before it, see `uninstall_for_migrations`), so a
new site-owned model is counted without anyone writing SQL;
tests/dashboards/test_changes.py holds that every table a build reads is counted and that
every counted model marks exactly the site of the row written.

The programme's own data — what no site's count covers: its programmes and workshops, the
vignettes and exchange threads of the whole programme, the people — is counted the same way in
one `ProgrammeDataVersion`, by a trigger on every table of Triad's apps that is not surely one
site's, unless PROGRAMME_UNTRACKED says why its writes never change what a page shows
(dashboards/programme_changes.py). A programme-wide page drawn once is kept under that count
and the sites' (infra/kept.py)."""

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db import connections, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL

PREFIX = "triad_changed_"

# Models with a site path whose writes never change a summary, and why.
UNTRACKED = {
    "cases.CaseAccess": "the access record, written whenever cases are read",
    "cases.RetentionRecord": "written beside the deletion of old cases, which is counted",
    "cases.AccessReview": "the monthly follow-up of the access record, not summarised",
    "cases.AccessReviewItem": "the monthly follow-up of the access record, not summarised",
    "accounts.Invitation": "an accepted invitation becomes a membership, which is counted",
    "pilots.InterestRegistration": "the intake queue, before a site exists",
    "workshops.SentReminder": "reminder e-mails sent",
    "exchange.Announcement": "the exchange between sites is not summarised",
    "exchange.Announcement_sites": "the exchange between sites is not summarised",
    "exchange.LibraryItem": "the exchange between sites is not summarised",
    "exchange.Thread": "the exchange between sites is not summarised",
    "dashboards.SiteSummary": "the summaries themselves",
    "dashboards.SiteMonth": "the summaries' months, written with them",
    "dashboards.SummaryRequest": "a request for a build, which builds regardless",
    "dashboards.SentDigest": "weekly e-mails sent",
    "dashboards.SummaryPdf": "drawn from a summary",
    "dashboards.SiteDataVersion": "the count itself",
    "dashboards.ChartSettings": "read when a page or PDF is drawn (a change deletes the PDFs)",
}

# Tables above the sites that a summary reads, with the way from their rows to the sites.
FEEDERS = {
    "pilots.Organisation": "sites_as_region",
    "workshops.Workshop": "programme__sites",
    "workshops.Deliverable": "workshop__programme__sites",
    "cases.InterventionProgramme": "interventions__site",
    # Which groups took part in a session (Django's own table of the many-to-many).
    "cases.InterventionSession_groups": "interventionsession__intervention__site",
}

ROOT = Path(__file__).resolve().parents[1]
# What a summary and its PDF are made by: a change here outdates every summary.
CODE = (
    "dashboards/services.py",
    "dashboards/figures",
    "dashboards/presenters.py",
    "dashboards/spc.py",
    "dashboards/measures.py",
    "dashboards/pdfs.py",
    "dashboards/templates/dashboards/site_pdf.html",
    "cases/disclosure.py",
)


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    for name in CODE:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def site_path(model):
    """How a row of `model` reaches its site: the site-scoped manager's path, else its foreign
    key or many-to-many to PilotSite; None when it does not."""
    path = getattr(type(model._default_manager), "site_path", None)
    if path:
        return path
    site = apps.get_model("pilots", "PilotSite")
    for field in model._meta.get_fields():
        if field.concrete and field.is_relation and field.related_model is site:
            return field.name
    return None


def site_models():
    """{model: path} of every model with a site path, through tables included."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        path = site_path(model)
        if path:
            found[model] = path
    return found


def tracked():
    """{model: path to its sites} of every table whose writes are counted; the site's own
    table has the path None."""
    result = {apps.get_model("pilots", "PilotSite"): None}
    for model, path in site_models().items():
        if model._meta.label not in UNTRACKED:
            result[model] = path
    for label, path in FEEDERS.items():
        result[apps.get_model(label)] = path
    return result


# --- The triggers ---------------------------------------------------------------------------


def _sites_sql(model, path, rows, connection):
    """A SELECT of the sites (as column `s`) of the rows written; `rows(column)` selects one
    column of those rows as `s`. The first step from the rows is read from the rows themselves
    (after a delete they are only there); the rest through the tables they point to."""
    if path is None:
        return rows(model._meta.pk.column)
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    own_ids = rows(model._meta.pk.column)
    if field.concrete and (field.many_to_one or field.one_to_one):
        if not rest:
            return rows(field.column)
        ids, target, key, lookup = rows(field.column), field.related_model, "pk", rest
    elif field.concrete and field.many_to_many:  # through the table that joins them
        target = field.remote_field.through
        key, lookup = field.m2m_field_name(), field.m2m_reverse_field_name()
        ids, lookup = own_ids, f"{lookup}__{rest}" if rest else lookup
    elif field.one_to_many or field.one_to_one:  # the rows that point to the written ones
        ids, target, key, lookup = own_ids, field.related_model, field.field.name, rest or "pk"
    else:
        ids, target, key, lookup = own_ids, model, "pk", path
    # SQL made here from the models' own names, with no values in it.
    written = RawSQL(ids, ())  # noqa: S611
    query = (
        target._base_manager.filter(**{f"{key}__in": written}).order_by().values(s=F(lookup))
    ).query
    sql, params = query.get_compiler(connection=connection).as_sql()
    assert not params, sql
    return sql


def _count(selects, connection):
    """One statement that adds one to the count of every site the SELECTs give."""
    from .models import SiteDataVersion

    table = connection.ops.quote_name(SiteDataVersion._meta.db_table)
    # Sites in order, so two statements lock their counts in the same order.
    changed = " UNION ".join(selects)
    insert = f"INSERT INTO {table} (site_id, version)"
    select = f"SELECT DISTINCT s, 1 FROM ({changed}) AS changed WHERE s IS NOT NULL ORDER BY s"  # noqa: S608 - names from the models, no values
    return f"{insert} {select} ON CONFLICT (site_id) DO UPDATE SET version = {table}.version + 1"


def _postgresql(model, path, connection, present):
    """The function (replaced every time) and its three triggers (made when missing: making
    one locks its table against writes until the migration commits)."""
    qn = connection.ops.quote_name
    table = model._meta.db_table
    function = qn(f"{PREFIX}{table}")

    def of(relation):
        def rows(column):
            return f"SELECT {qn(column)} AS s FROM {relation}"  # noqa: S608 - names only

        return _sites_sql(model, path, rows, connection)

    new, old = of("new_rows"), of("old_rows")
    # Once per statement, with the statement's rows (transition tables): a bulk insert of
    # thousands of rows counts once per site.
    yield f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_count([new], connection)};
    ELSIF TG_OP = 'DELETE' THEN {_count([old], connection)};
    ELSE {_count([new, old], connection)};
    END IF;
    RETURN NULL;
END $$"""
    for operation, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        name = f"{PREFIX}{operation.lower()}"
        if (table, name) not in present:
            yield (
                f"CREATE TRIGGER {qn(name)} AFTER {operation} ON {qn(table)} "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )


def _sqlite(model, path, connection, present):
    qn = connection.ops.quote_name
    table = model._meta.db_table

    def of(row):
        return _sites_sql(model, path, lambda c: f"SELECT {row}.{qn(c)} AS s", connection)

    for operation, selects in (
        ("INSERT", [of("NEW")]),
        ("UPDATE", [of("NEW"), of("OLD")]),
        ("DELETE", [of("OLD")]),
    ):
        name = qn(f"{PREFIX}{table}_{operation.lower()}")
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield (
            f"CREATE TRIGGER {name} AFTER {operation} ON {qn(table)} FOR EACH ROW "
            f"BEGIN {_count(selects, connection)}; END"
        )


def statements(connection):
    """The SQL that (re)makes every counting trigger on this database."""
    from . import programme_changes

    make = {"postgresql": _postgresql, "sqlite": _sqlite}[connection.vendor]
    existing = set(connection.introspection.table_names())
    present = set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s OR t.tgname = %s",
                [PREFIX + "%", programme_changes.PROGRAMME],
            )
            present = set(cursor.fetchall())
        yield from programme_changes.stale(connection, present)
    for model, path in tracked().items():
        if model._meta.db_table in existing:
            yield from make(model, path, connection, present)
    yield from programme_changes.statements(connection, present)


def _stale(connection, wanted):
    """SQL dropping the triggers (SQLite) or functions (PostgreSQL) of tables no longer
    counted."""
    from . import programme_changes

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [PREFIX + "%"])
            names = {row[0] for row in cursor.fetchall()}
            gone = names - {f"{PREFIX}{t}" for t in wanted}
            return [
                f"DROP FUNCTION IF EXISTS {connection.ops.quote_name(n)}() CASCADE" for n in gone
            ]
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND (name LIKE %s OR name LIKE %s)",
            [PREFIX + "%", programme_changes.PROGRAMME + "%"],
        )
        return [
            f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}"
            for name, table in cursor.fetchall()
            if table not in wanted
        ]


def install(using="default"):
    """Make the counting triggers on the database `using`: after every migrate (apps.py)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    from .models import SiteDataVersion

    if SiteDataVersion._meta.db_table not in connection.introspection.table_names():
        return  # migrated back before the count existed
    wanted = {model._meta.db_table for model in tracked()}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in [*_stale(connection, wanted), *statements(connection)]:
            cursor.execute(sql)


def uninstall_for_migrations(using="default"):
    """SQLite only, before a migrate: take the triggers away. SQLite remakes a table to alter
    it (a copy renamed into place), and refuses the rename while a trigger of another table
    names the table; `install` makes them again after the migrate."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for sql in _stale(connection, wanted=()):
                cursor.execute(sql)
