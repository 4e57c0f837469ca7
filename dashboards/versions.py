"""The counts of data changes, one per site and one for the programme, that kept drawings
and the nightly build key on. The database keeps them (dashboards/changes.py,
dashboards/programme_changes.py); the application only reads them."""

import datetime
from typing import NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _


class SiteDataVersion(models.Model):
    """How many times the data a site's summary reads has changed. Counted by the database
    itself, with a trigger on every table the summary reads (dashboards/changes.py); the
    application only reads it. No foreign-key constraint: the triggers may count the changes of
    a site that is being deleted, after this row has gone."""

    site = models.OneToOneField(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    version = models.PositiveBigIntegerField(_("changes counted"), default=0)

    class Meta:
        verbose_name = _("count of a site's data changes")
        verbose_name_plural = _("counts of sites' data changes")

    def __str__(self):
        return f"{self.site_id}: {self.version}"

    @classmethod
    def of(cls, site_id):
        """The site's count of changes (None before its first): one query. Whatever is drawn
        from the site's data can be kept under it, since every change moves it."""
        return cls.objects.filter(site_id=site_id).values_list("version", flat=True).first()


def _moment(value):
    """A moment as the database driver gave it: SQLite's as text in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


class SiteState(NamedTuple):
    """Everything a drawing of a site's dashboard or of a test's page is keyed on; None where
    there is none yet."""

    version: int | None  # the site's count of data changes
    summary: int | None  # its latest summary's id …
    built_at: datetime.datetime | None  # … and build time
    chart_settings: int | None  # its chart settings' id …
    chart_settings_at: datetime.datetime | None  # … last change …
    split_on: datetime.date | None  # … and the start of the test that splits its charts
    refresh_asked_at: datetime.datetime | None  # the latest refresh asked for

    @property
    def chart_settings_parts(self):
        """What a drawing reads of the site's chart settings (none while it has chosen none)."""
        if self.chart_settings is None:
            return ()
        return (self.chart_settings, self.chart_settings_at, self.split_on)

    @classmethod
    def of(cls, site_id) -> "SiteState":
        """The site's state, read in one query."""
        from django.db import connection

        from cases.models import PracticalTest

        from .models import ChartSettings, SiteSummary, SummaryRequest

        quote = connection.ops.quote_name
        version, summary, chart_settings, test, request = (
            quote(model._meta.db_table)
            for model in (
                SiteDataVersion,
                SiteSummary,
                ChartSettings,
                PracticalTest,
                SummaryRequest,
            )
        )
        # Names from the models; the site's id is a parameter.
        sql = (
            f"SELECT (SELECT v.version FROM {version} v WHERE v.site_id = %s), "  # noqa: S608
            f"s.id, s.built_at, c.id, c.updated_at, t.starts_on, "
            f"(SELECT MAX(r.requested_at) FROM {request} r WHERE r.site_id = %s) "
            f"FROM (SELECT 1) AS one "
            f"LEFT JOIN {summary} s ON s.site_id = %s AND s.is_latest "
            f"LEFT JOIN {chart_settings} c ON c.site_id = %s "
            f"LEFT JOIN {test} t ON t.id = c.split_test_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [site_id] * 4)
            version, summary, built_at, settings, settings_at, split_on, asked_at = (
                cursor.fetchone()
            )
        return cls(
            version,
            summary,
            _moment(built_at),
            settings,
            _moment(settings_at),
            parse_date(split_on) if isinstance(split_on, str) else split_on,
            _moment(asked_at),
        )


class ProgrammeDataVersion(models.Model):
    """How many times the programme's data outside the sites' own counts has changed: its
    programmes, workshops, vignettes, the exchange, the people. One row, counted by the
    database with a trigger on each such table (dashboards/programme_changes.py), as
    SiteDataVersion is per site. With every site's count it keys what a programme-wide page
    draws (`of_all`)."""

    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE)
    version = models.PositiveBigIntegerField(_("changes counted"), default=0)

    class Meta:
        verbose_name = _("count of the programme's data changes")
        verbose_name_plural = _("counts of the programme's data changes")

    def __str__(self):
        return str(self.version)

    @classmethod
    def of_all(cls) -> tuple:
        """The programme's count with the sum and number of every site's: any change that a
        programme-wide page may show moves one of them (one query)."""
        from django.db import connection

        quote = connection.ops.quote_name
        mine, sites = quote(cls._meta.db_table), quote(SiteDataVersion._meta.db_table)
        sql = (  # names from the models, no values
            f"SELECT (SELECT version FROM {mine} WHERE id = %s), "  # noqa: S608
            f"(SELECT SUM(version) FROM {sites}), (SELECT COUNT(*) FROM {sites})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [cls.ONE])
            return tuple(cursor.fetchone())
