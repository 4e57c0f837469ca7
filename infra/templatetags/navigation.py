from django import template

from infra.navigation import menus_html

register = template.Library()


@register.simple_tag(takes_context=True)
def menus(context):
    """The main menu and, on a site's pages, the site's menu (infra/navigation.py)."""
    return menus_html(context["request"])
