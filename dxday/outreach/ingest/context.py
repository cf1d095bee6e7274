"""What validating a batch rests on: limits, the validated-session record, the field
primitives (whole numbers, ids, timestamps) and the batch `Context`, loaded in a fixed number
of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import dateparse, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dxday.core.params import MAX_INT, int_param
from dxday.orgs.permissions import Actor, can
from dxday.plans.models import CampaignWindow

from .. import conf
from ..models import CommunityTeam, TeamMember, Topic

MAX_HOUSEHOLDS = 1_000
MAX_PEOPLE = 10_000
NOTE_MAX = 300
FUTURE_SKEW = dt.timedelta(minutes=10)


@dataclass
class Valid:
    index: int
    client_id: uuid.UUID
    content_hash: str
    row: dict[str, Any]
    topics: list[tuple[int, int, int]]  # (topic_id, people_guided, outcome)
    activation: int  # outcomes of topics that count as activated accounts


def error(field_name: str | None, code: str, message: str) -> dict:
    return {"field": field_name, "code": code, "message": message}


def whole_number(data: dict, key: str, errors: list, label, maximum: int, prefix: str = ""):
    """A whole number in 0..maximum, or None with a field error. `label` is a callable, so that
    the (translated) label is only built when there is an error to report."""
    value = data.get(key)
    if type(value) is int and 0 <= value <= maximum:  # the fast path: almost every value
        return value
    name = f"{prefix}{key}"
    label = label()
    if value is None or value == "":
        errors.append(error(name, "required", _("Cần nhập %(label)s.") % {"label": label}))
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.append(
            error(
                name, "invalid", _("%(label)s phải là số nguyên.") % {"label": label.capitalize()}
            )
        )
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(
            error(
                name, "invalid", _("%(label)s phải là số nguyên.") % {"label": label.capitalize()}
            )
        )
        return None
    if number < 0:
        errors.append(
            error(name, "negative", _("%(label)s không được âm.") % {"label": label.capitalize()})
        )
        return None
    if number > maximum:
        errors.append(
            error(
                name,
                "too_large",
                _("%(label)s quá lớn (tối đa %(max)s).")
                % {"label": label.capitalize(), "max": maximum},
            )
        )
        return None
    return number


def ref_id(value) -> int | None:
    """An id sent as a number or a string of ASCII digits, within the database's integer range;
    None for anything else ("²", 1e30, a list, a bool), which then rejects only its session."""
    if type(value) is int:
        return value if 0 < value <= MAX_INT else None
    if isinstance(value, str):
        return int_param(value, minimum=1)
    return None


def parse_when(raw) -> dt.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return dt.datetime.fromisoformat(raw)  # Python 3.11 reads "Z" and offsets
    except ValueError:
        try:
            return dateparse.parse_datetime(raw)
        except ValueError:
            return None


def day_text(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


class Context:
    """What validating a batch needs, loaded in a fixed number of queries."""

    def __init__(self, actor: Actor, sessions: list[dict]):
        self.actor = actor
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.salt = conf.household_salt()
        team_ids = {ref_id(s.get("team")) for s in sessions if isinstance(s, dict)} - {None}
        own_org = actor.organisation_id
        teams = CommunityTeam.objects.select_related("organisation").filter(is_active=True)
        if own_org is not None:
            teams = teams.filter(Q(pk__in=team_ids) | Q(organisation_id=own_org))
        else:
            teams = teams.filter(pk__in=team_ids)
        self.teams = {t.pk: t for t in teams}
        self.own_team = next((t for t in self.teams.values() if t.organisation_id == own_org), None)
        self.members: dict[int, TeamMember] = {
            m.pk: m for m in TeamMember.objects.filter(team_id__in=list(self.teams))
        }
        self.topics = {t.code: t for t in Topic.objects.filter(is_active=True)}
        self.windows: dict[int, list[CampaignWindow]] = defaultdict(list)
        for w in CampaignWindow.objects.filter(
            kind=CampaignWindow.Kind.DOOR_TO_DOOR
        ).select_related("campaign"):
            self.windows[w.campaign.year].append(w)
        self._may_log: dict[int, bool] = {}
        self._may_log_for_others: dict[int, bool] = {}
        self._default_member: dict[int, TeamMember | None] = {}

    def may_log(self, team: CommunityTeam) -> bool:
        if team.pk not in self._may_log:
            self._may_log[team.pk] = can(self.actor, "outreach.log", team.organisation)
        return self._may_log[team.pk]

    def may_log_for_others(self, team: CommunityTeam) -> bool:
        """Logging a session as another member of the team is for whoever manages the team
        (its leader, a coordinator above it), not for a plain member or deputy."""
        if team.pk not in self._may_log_for_others:
            self._may_log_for_others[team.pk] = can(
                self.actor, "outreach.manage_team", team.organisation
            )
        return self._may_log_for_others[team.pk]

    def default_member(self, team: CommunityTeam) -> TeamMember | None:
        """The actor's own active membership of the team (looked up once per team per batch)."""
        if team.pk in self._default_member:
            return self._default_member[team.pk]
        membership_id = self.actor.membership.pk if self.actor.membership else None
        user_id = self.actor.user.pk
        found = None
        for m in self.members.values():
            if m.team_id != team.pk or not m.is_active:
                continue
            if (membership_id and m.membership_id == membership_id) or m.user_id == user_id:
                found = m
                break
        self._default_member[team.pk] = found
        return found
