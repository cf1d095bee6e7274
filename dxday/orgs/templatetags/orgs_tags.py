"""`{% load orgs_tags %}` … `<a href="{% audit_url obj %}">` links any object to its audit trail."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def audit_url(instance) -> str:
    meta = instance._meta
    return reverse("orgs:audit_trail", args=[meta.label_lower, instance.pk])
