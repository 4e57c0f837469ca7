from django import template
from django.db.models import Exists, OuterRef

from pilots.access import memberships_of

from ..models import Announcement, AnnouncementRead
from ..rendering import render_markdown

register = template.Library()

SHOWN_ON_HOME = 5


@register.filter
def markdown(text):
    return render_markdown(text)


def _with_read(queryset, user):
    return queryset.annotate(
        is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user))
    )


@register.inclusion_tag("exchange/includes/announcement_cards.html", takes_context=True)
def home_announcements(context):
    """The person's pinned and unread announcements, for their home page."""
    user = context["request"].user
    items = _with_read(Announcement.objects.restrict(user).published(), user)
    shown = [a for a in items.select_related("created_by")[:20] if a.pinned or not a.is_read]
    return {"announcements": shown[:SHOWN_ON_HOME], "more": len(shown) > SHOWN_ON_HOME}


@register.inclusion_tag("exchange/includes/announcement_cards.html", takes_context=True)
def site_announcements(context, site):
    """What the programme has announced to this site and reaches the person there, for the
    site's home page (coordinators: all that is addressed to the site)."""
    user = context["request"].user
    roles = (
        None
        if user.is_coordinator
        else memberships_of(user).filter(site=site).values_list("role", flat=True)
    )
    items = _with_read(
        Announcement.objects.restrict(user).published().addressed_to(site, roles), user
    )
    shown = list(items.select_related("created_by")[: SHOWN_ON_HOME + 1])
    return {"announcements": shown[:SHOWN_ON_HOME], "more": len(shown) > SHOWN_ON_HOME}
