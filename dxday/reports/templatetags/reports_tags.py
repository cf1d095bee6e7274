from django import template

from ..documents.formatting import format_value

register = template.Library()


@register.filter
def figure_value(figure: dict) -> str:
    """A figure as printed in the documents (1.234, 85,5%, "Chưa báo cáo")."""
    return format_value(figure.get("value"), figure.get("kind", "count"))


@register.filter
def number_or_missing(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return format_value(value, "percent").rstrip("%")
    return format_value(value)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def split_pairs(value: str) -> list[tuple[str, str]]:
    """ "a:A,b:B" → [("a", "A"), ("b", "B")] (for short fixed lists in templates)."""
    return [tuple(item.split(":", 1)) for item in value.split(",")]
