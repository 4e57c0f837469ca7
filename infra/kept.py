"""Drawings kept in a cache until what they are drawn from changes. The key names everything a
drawing reads (a summary's id and build time, a site's count of data changes, the reader's
abilities that change what is shown), so a change is a new key and an old drawing is never
shown. The language is always part of the key.

Two places to keep them:

- SHARED, the cache every worker shares (Redis in production): aggregates only — dashboards,
  figures, charts — never a single case. A worker keeps a copy in its own memory too.
- LOCAL, the worker's own memory only: drawings with case rows (cases/kept.py). They never
  leave the process that read them from the database.

A kept drawing may hold forms. A form's CSRF token is the reader's own, so the drawing is made
with a placeholder in its place, and each reading puts the reader's token there."""

import hashlib

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

SHARED = "default"
LOCAL = "kept"

# A drawing nobody asked for again within this time leaves the cache.
KEEP_SECONDS = 10 * 60


def _csrf_placeholder():
    # The same in every worker (a drawing in the shared cache is read by all of them), and not
    # something a person could type into a text that a drawing shows: made from SECRET_KEY.
    return "csrf-" + salted_hmac("triad.kept", "csrf placeholder").hexdigest()[:32]


CSRF_PLACEHOLDER = lazy(_csrf_placeholder, str)()


def key(name, *parts):
    """The cache key of the part `name` drawn from `parts`, in the active language."""
    words = "|".join([translation.get_language() or "", *map(str, parts)])
    return f"kept:{name}:" + hashlib.sha256(words.encode()).hexdigest()


def kept(name, parts, compute, *, where=SHARED):
    """What `compute()` returns for `parts`, computed once per key. A shared drawing is also
    kept in the worker's memory, which answers first: a key names what the drawing is drawn
    from, so a copy is never out of date, and the next reading need not fetch it again."""
    k = key(name, *parts)
    places = [caches[LOCAL]] if where == LOCAL else [caches[LOCAL], caches[SHARED]]
    for i, cache in enumerate(places):
        value = cache.get(k)
        if value is not None:
            for nearer in places[:i]:
                nearer.set(k, value, KEEP_SECONDS)
            return value
    value = compute()
    for cache in places:
        cache.set(k, value, KEEP_SECONDS)
    return value


def render(template, context, request=None):
    """`template` rendered with `context`, its forms carrying the CSRF placeholder. A kept
    drawing reads nothing of the person beyond what its key names: `request` only for what
    the address says (its query, for the links of a list's pages and columns)."""
    context = {"csrf_token": str(CSRF_PLACEHOLDER), **context}
    return render_to_string(template, context, request=request)


def for_reader(html, request):
    """A kept drawing as `request`'s reader gets it: their own CSRF token in its forms."""
    placeholder = str(CSRF_PLACEHOLDER)
    if request is not None and placeholder in html:
        html = html.replace(placeholder, get_token(request))
    # Our own rendered template, kept as it was rendered.
    return mark_safe(html)  # noqa: S308


def kept_html(name, parts, template, context, *, request=None):
    """`template` rendered with `context()`, once per key, in the shared cache."""
    return for_reader(kept(name, parts, lambda: render(template, context())), request)


def query_parts(request):
    """The address's query as a key's part: each name with each of its values, in order."""
    return sorted((name, value) for name in request.GET for value in request.GET.getlist(name))


def programme_parts(request):
    """What every programme-wide drawing is drawn from: the programme's and every site's
    count of data changes (dashboards.changes), the day, the reader (what they may see, which
    threads they follow) and the address with its query."""
    from dashboards.models import ProgrammeDataVersion

    day, reader = timezone.localdate(), request.user.pk
    return [*ProgrammeDataVersion.of_all(), day, reader, request.path, query_parts(request)]


class KeptBodyMixin:
    """For a template view: the page below its menu (`body_template`, placed by the page's
    template as `{{ body }}`) drawn from `body_context()` once per `body_parts()` and kept in
    the shared cache. What the page reads beyond the body's parts (its title's object, say)
    is read as usual. Only a GET is kept: a form shown again with its errors is drawn anew."""

    body_template = ""

    def body_parts(self) -> list:
        return programme_parts(self.request)

    def body_context(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)

        def draw():
            return render(self.body_template, {**context, **self.body_context()}, self.request)

        if self.request.method == "GET":
            html = kept(self.body_template, self.body_parts(), draw)
        else:
            html = draw()
        context["body"] = for_reader(html, self.request)
        return context
