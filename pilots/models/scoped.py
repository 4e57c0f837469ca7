"""The one way a site's rows are read: every model that belongs to a pilot site gets its manager
from `site_scoped`. Outside a site scope the manager refuses (ScopeError naming the scope);
inside `django_scopes.scope(site=…)` it sees only that site's rows, whichever way a view asks
(`Case.objects.all()`, `request.site.cases.all()`, `case.events.all()`).

Who opens the scope: `pilots.scoping.SiteScopeMiddleware` for every request, the admin's own
middleware, and each Celery task, management command and test fixture that needs every site
(`django_scopes.scopes_disabled()`, said where it is needed)."""

from django.db import models
from django_scopes import ScopedManager, ScopeError, get_scope
from django_scopes.manager import DisabledQuerySet

SCOPE = "site"


def site_scoped(queryset_class=models.QuerySet, path="site"):
    """A manager for a site-owned model whose site is reached through `path` (e.g.
    "case__site"), keeping the model's own queryset methods. Outside a scope every way of
    running a query (including the model's own methods) raises a ScopeError that says what to
    do. `.all()` alone does not run one, so a form built at import may hold the refusing
    queryset; the form sets its own per request, and one that forgets fails loudly."""
    base = ScopedManager(
        _manager_class=models.Manager.from_queryset(queryset_class), **{SCOPE: path}
    )
    refusing = type(
        f"Unscoped{queryset_class.__name__}",
        (DisabledQuerySet, queryset_class),
        {
            **{
                name: _refuse
                for name, value in vars(DisabledQuerySet).items()
                if value is DisabledQuerySet.error
            },
            # Queries django-scopes leaves open: each would read across every site.
            **dict.fromkeys(("exists", "contains", "in_bulk", "explain", "bulk_update"), _refuse),
            "all": lambda queryset: queryset._chain(),
        },
    )

    class SiteScopedManager(type(base)):
        # How a row reaches its site, for code that follows every site-owned model (e.g. the
        # database triggers that count each site's changes, dashboards/changes.py).
        site_path = path

        def get_queryset(self):
            current = get_scope()
            sites = current.get(SCOPE) if current.get("_enabled", True) else None
            if isinstance(sites, models.QuerySet) and not hasattr(self, "_override_scope"):
                # The sites as a subquery (pilots.access.sites_followed): `IN (SELECT …)`
                # rather than every id written into every statement (290 for a coordinator).
                # django-scopes would compare the site with it as with one value.
                return super(type(base), self).get_queryset().filter(**{f"{path}__in": sites})
            queryset = super().get_queryset()
            if type(queryset) is DisabledQuerySet:
                return refusing(self.model, using=self._db, missing_scopes=queryset.missing_scopes)
            return queryset

        def all(self):
            return self.get_queryset()

    return SiteScopedManager()


def _refuse(queryset, *args, **kwargs):
    name = queryset.model._meta.label
    raise ScopeError(
        f"{name} belongs to a pilot site, and no '{SCOPE}' scope is active: read it inside "
        f"django_scopes.scope({SCOPE}=…) (every request opens one) or, where every site is "
        "meant, say so with django_scopes.scopes_disabled()."
    )
