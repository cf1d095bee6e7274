"""`{% load dx_links %}{% may_open "app:page" as ok %}{% if ok %}<a …>{% endif %}`: a link only
for a viewer who may open it, by the rule the page's app declares in its nav.py."""

from django import template

from dxday.core.nav import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str) -> bool:
    return _may_open(context.get("actor"), url_name)
