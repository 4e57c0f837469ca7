"""A row of the coordinators' progress grid (workshops/programme_progress.html), written in one
pass: a page of 40 sites × every deliverable and workshop is a few hundred cells, and cell by
cell through the template language they cost several times the plainest page. The markup is
the same, every value escaped."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def progress_row(row):
    """The site's name (to its programme page), its standing on each deliverable (to the
    delivery's review, when there is one) and how many of its people are registered for each
    workshop."""
    site = row["site"]
    cells = [
        format_html(
            '<th scope="row"><a href="{}">{}</a></th>',
            reverse("workshops:site_programme", args=[site.slug]),
            site.name,
        ),
        "\n          ",
    ]
    for state in row["states"]:
        badge = format_html(
            '<span class="badge {}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
            state.badge,
            state.icon,
            state.label,
        )
        if state.delivery:
            url = reverse("workshops:delivery_review", args=[site.slug, state.delivery.pk])
            badge = format_html('<a href="{}" class="text-decoration-none">{}</a>', url, badge)
        cells.append(f"\n          <td>{badge}</td>\n          ")
    cells.append("\n          ")
    cells += [
        f'<td class="text-end{"" if n else " text-danger"}">{conditional_escape(n)}</td>'
        for n in row["registered"]
    ]
    return mark_safe("".join(cells))  # noqa: S308 - every value escaped above
