"""Who works where, said once, and the one way programme-level objects are read.

A person works at a site while a membership of theirs there holds (started, not ended): every
answer to "which sites is this person at" comes from `memberships_of` below, nowhere else.

Programme-level objects (programmes, workshops, deliverables, materials, announcements,
threads, library items, vignettes) are read through `Model.objects.restrict(user)`, as netbox
does: each model's queryset says, in `restriction(user)`, what a person who is not a national
coordinator may see; coordinators see all of it. A view that loads one of them does so from
the restricted queryset, so an object the person may not see answers 404 like one that does
not exist."""

import datetime

from django.db import models
from django.db.models import Exists, Q

from .models.memberships import Membership
from .models.sites import PilotSite


def memberships_of(user, on: datetime.date | None = None):
    """The person's memberships that hold today (or on the day `on`)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.active(on).filter(user=user)


def sites_of(user, on: datetime.date | None = None):
    """The ids of the sites the person works at, as a subquery: `filter(site__in=sites_of(u))`."""
    return memberships_of(user, on).values("site")


def takes_part(user) -> bool:
    """Whether the person is in the programme at all: a national coordinator, or someone who
    works at a site now. The programme-wide pages (the exchange, the library) are theirs."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_coordinator or memberships_of(user).exists()


def own_sites_or_programme(user, field: str = "site") -> Q:
    """Objects that belong to one of the person's sites, and the programme's own (no site),
    which everyone who takes part may read: threads, library items, vignettes."""
    return Q(**{f"{field}__in": sites_of(user)}) | (
        Q(**{f"{field}__isnull": True}) & Q(Exists(memberships_of(user)))
    )


class RestrictedQuerySet(models.QuerySet):
    """A queryset with `restrict(user)`: what this person may see of the model.

    Subclasses say what in `restriction(user)`, a Q for a signed-in person who is not a
    coordinator (written with subqueries, so that it never repeats a row). Keep a model's
    manager a plain `objects = TheQuerySet.as_manager()`: the same class can later be given to
    django-scopes' ScopedManager as its `_manager_class`
    (`models.Manager.from_queryset(TheQuerySet)`)."""

    def restrict(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(self.restriction(user))

    def restriction(self, user) -> Q:
        raise NotImplementedError(f"{type(self).__name__} must say what a person may see")


def sites_followed(user) -> models.QuerySet:
    """The sites whose rows a person's pages may show, as a subquery of their ids, for the
    site scope the middleware opens (pilots/models/scoped.py): every site for a national
    coordinator, the sites they work at for anyone else, none for an anonymous visitor."""
    if getattr(user, "is_coordinator", False):
        return PilotSite.objects.values("pk")
    return memberships_of(user).values("site_id")
