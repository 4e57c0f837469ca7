"""Markdown for posts and announcements, rendered safely.

markdown-it-py parses CommonMark with raw HTML turned off, so whatever a person types as HTML is
shown as text; nh3 (the ammonia sanitiser) then keeps only the tags and attributes below, drops
any script and every inline event handler, allows only http, https and mailto links and marks
every link `rel="nofollow noopener"`. Both steps are maintained libraries; neither is enough
alone against a future change in the other."""

import functools

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Safe HTML for a text written in Markdown."""
    return mark_safe(_render(text or ""))  # noqa: S308 — sanitised by nh3 in _render


# The same text always gives the same HTML, and a thread's posts are read far more often than
# written: parsing and sanitising its sixty posts on every view took four times the plainest
# page (make bench). Bounded, per process; a changed post is a new text.
@functools.lru_cache(maxsize=1024)
def _render(text: str) -> str:
    html = _parser.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return clean
