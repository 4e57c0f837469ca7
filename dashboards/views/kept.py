"""Parts of the dashboards (and of a practical test's page) drawn once and kept in the cache
until what they are drawn from changes. A dashboard is drawn from stored summaries, which
change only when they are rebuilt: the key names what the part is drawn from (a summary's id
and build time, say), so a rebuilt summary is a new key and an old drawing is never shown. The
language is always part of the key. Only aggregates are kept, never a single case."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

# A drawing nobody asked for again within this time leaves the cache.
KEEP_SECONDS = 10 * 60


def key(name, *parts):
    """The cache key of the part `name` drawn from `parts`, in the active language."""
    words = "|".join([translation.get_language() or "", *map(str, parts)])
    return f"dashboards:{name}:" + hashlib.sha256(words.encode()).hexdigest()


def chart_settings_parts(chart_settings):
    """What a drawing reads of a site's chart settings (None: the site chose none)."""
    if chart_settings is None:
        return ()
    return (chart_settings.pk, chart_settings.updated_at, chart_settings.split_on)


def kept(name, parts, compute):
    """What `compute()` returns for `parts`, computed once per key."""
    k = key(name, *parts)
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, KEEP_SECONDS)
    return value


def kept_html(name, parts, template, context):
    """`template` rendered with `context()` (no request: a kept part reads nothing of the
    person beyond what its parts name), once per key."""
    body = kept(name, parts, lambda: render_to_string(template, context()))
    # Our own rendered template, kept as it was rendered.
    return mark_safe(body)  # noqa: S308
