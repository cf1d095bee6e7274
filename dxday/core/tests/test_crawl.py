"""Every link a demo role can see opens (issue 10: "never link anything the viewer cannot
open"), and every page it reaches speaks Vietnamese.

One crawl of the demo per module: each demo membership (and the anonymous visitor) starts at
the landing page and follows every same-site link (GET only), deduplicated by URL pattern.
"""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from dxday.orgs.demo import DEMO_GROUP
from dxday.orgs.middleware import SESSION_KEY
from dxday.orgs.models import Membership

from .crawl import crawl, landing_urls


@pytest.fixture(scope="module")
def demo_crawls(django_db_setup, django_db_blocker, tmp_path_factory):
    """{role label: Crawl}, in Vietnamese; the demo is rolled back afterwards."""
    results = {}
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("demo", stdout=io.StringIO())
        memberships = (
            Membership.objects.filter(user__groups__name=DEMO_GROUP)
            .select_related("user", "organisation")
            .order_by("organisation__depth", "user__username", "pk")
        )
        anonymous = Client(HTTP_ACCEPT_LANGUAGE="vi")
        results["khách"] = crawl(anonymous, "khách", ["/"])
        for m in memberships:
            client = Client(HTTP_ACCEPT_LANGUAGE="vi")
            client.force_login(m.user)
            session = client.session
            session[SESSION_KEY] = m.pk
            session.save()
            label = f"{m.user.username} ({m.role}, {m.organisation.code})"
            results[label] = crawl(client, label, landing_urls())
        transaction.set_rollback(True)
    translation.activate("vi")
    return results


@pytest.mark.django_db
def test_every_demo_role_is_crawled(demo_crawls):
    roles = {label.split(" (")[1].split(",")[0] for label in demo_crawls if "(" in label}
    assert {"coordinator", "reporter", "viewer", "moderator", "team_leader", "team_member"} <= roles
    for result in demo_crawls.values():
        assert len(result.visits) >= 5, result.role


@pytest.mark.django_db
def test_no_link_any_demo_role_sees_is_a_dead_end(demo_crawls):
    dead = [
        f"{result.role}: {v.status} {v.url} (linked from {v.referrer})"
        for result in demo_crawls.values()
        for v in result.failures()
    ]
    assert not dead, "\n".join(dead)


# English words that must never reach a Vietnamese page: the names of dxday's models and the
# codes of their choices (a code on a page means its label was forgotten), plus a few words a
# form or a template leaks when a label is missing. Matched as whole words, case-sensitively.
NOT_ENGLISH = {
    "tinh",
    "xa",
    "phuong",
    "dac_khu",
    "thanh_pho_trung_uong",  # Vietnamese division codes
    "pdf",
    "docx",
    "xlsx",  # file formats, printed as PDF, DOCX, XLSX
    "video",
    "logo",
    "infographic",  # loanwords of everyday Vietnamese ("đường dẫn video", "biểu trưng (logo)")
    "ai",  # "ai" is Vietnamese ("who"), and AI is written AI
}
EXTRA = {"True", "False", "None", "null", "Order", "Save", "Submit", "Cancel", "Search", "Next",
         "Previous", "status", "overdue"}  # fmt: skip


def english_words() -> set[str]:
    words = set(EXTRA)
    for model in apps.get_models():
        if not model.__module__.startswith("dxday."):
            continue
        words.add(model.__name__)
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and value:
                    words.add(value)
    return words - NOT_ENGLISH


WORD = re.compile(r"[A-Za-z_]+")


@pytest.mark.django_db
def test_no_english_word_on_any_page_a_demo_role_reaches(demo_crawls):
    english = english_words()
    assert {"Activity", "draft", "submitted", "province", "door_to_door", "learning"} <= english
    leaks = []
    for result in demo_crawls.values():
        for v in result.visits:
            if not v.text:
                continue
            found = sorted({w for w in WORD.findall(v.text) if w in english})
            if found:
                leaks.append(f"{result.role}: {v.url}: {', '.join(found)}")
    assert not leaks, "\n".join(leaks)
