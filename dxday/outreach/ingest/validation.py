"""Validation of one guidance session, in Python, with field-level Vietnamese messages.

`Context` loads what a batch needs in a fixed number of queries (the teams named, their
members, the topic catalogue, the door-to-door windows); `validate_session` checks one
session field group by field group and returns a `Valid` (its row, its topic rows and a hash
of its normalised content) or every error found.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import dateparse, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dxday.core.params import MAX_INT, int_param
from dxday.core.personal import contains_personal_data
from dxday.core.text import nfc
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


def _error(field_name: str | None, code: str, message: str) -> dict:
    return {"field": field_name, "code": code, "message": message}


def _int(data: dict, key: str, errors: list, label, maximum: int, prefix: str = ""):
    """A whole number in 0..maximum, or None with a field error. `label` is a callable, so that
    the (translated) label is only built when there is an error to report."""
    value = data.get(key)
    if type(value) is int and 0 <= value <= maximum:  # the fast path: almost every value
        return value
    name = f"{prefix}{key}"
    label = label()
    if value is None or value == "":
        errors.append(_error(name, "required", _("Cần nhập %(label)s.") % {"label": label}))
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.append(
            _error(
                name, "invalid", _("%(label)s phải là số nguyên.") % {"label": label.capitalize()}
            )
        )
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(
            _error(
                name, "invalid", _("%(label)s phải là số nguyên.") % {"label": label.capitalize()}
            )
        )
        return None
    if number < 0:
        errors.append(
            _error(name, "negative", _("%(label)s không được âm.") % {"label": label.capitalize()})
        )
        return None
    if number > maximum:
        errors.append(
            _error(
                name,
                "too_large",
                _("%(label)s quá lớn (tối đa %(max)s).")
                % {"label": label.capitalize(), "max": maximum},
            )
        )
        return None
    return number


def _ref(value) -> int | None:
    """An id sent as a number or a string of ASCII digits, within the database's integer range;
    None for anything else ("²", 1e30, a list, a bool), which then rejects only its session."""
    if type(value) is int:
        return value if 0 < value <= MAX_INT else None
    if isinstance(value, str):
        return int_param(value, minimum=1)
    return None


def _parse_when(raw) -> dt.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return dt.datetime.fromisoformat(raw)  # Python 3.11 reads "Z" and offsets
    except ValueError:
        try:
            return dateparse.parse_datetime(raw)
        except ValueError:
            return None


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


class Context:
    """What validating a batch needs, loaded in a fixed number of queries."""

    def __init__(self, actor: Actor, sessions: list[dict]):
        self.actor = actor
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.salt = conf.household_salt()
        team_ids = {_ref(s.get("team")) for s in sessions if isinstance(s, dict)} - {None}
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


def _client_id(data: dict, errors: list) -> uuid.UUID | None:
    """The session's own id, made by the phone (the idempotency key)."""
    raw_cid = data.get("client_id")
    cid = None
    with contextlib.suppress(ValueError):
        cid = uuid.UUID(str(raw_cid)) if raw_cid not in (None, "") else None
    if cid is None:
        errors.append(
            _error("client_id", "invalid", _("Mã lượt (client_id) phải là một UUID do máy tạo ra."))
        )
    return cid


def _team_and_member(ctx: Context, data: dict, errors: list):
    """Team: the one named, else the actor's own (the commune always comes from the team); member:
    the one named (another member only for whoever manages the team), else the actor's own."""
    team = None
    team_ref = data.get("team")
    if team_ref in (None, ""):
        team = ctx.own_team
        if team is None:
            errors.append(_error("team", "required", _("Cần chọn tổ công nghệ số cộng đồng.")))
    else:
        team_id = _ref(team_ref)
        team = ctx.teams.get(team_id) if team_id is not None else None
        if team_id is None:
            errors.append(_error("team", "invalid", _("Mã tổ phải là một số nguyên dương.")))
        elif team is None or not ctx.may_log(team):
            errors.append(
                _error("team", "not_found", _("Không tìm thấy tổ này, hoặc bạn không thuộc tổ."))
            )
            team = None
    if team is not None and not ctx.may_log(team):
        errors.append(
            _error("team", "forbidden", _("Bạn không được ghi nhận lượt hướng dẫn cho tổ này."))
        )
        team = None

    member = None
    if team is not None:
        member_ref = data.get("member")
        if member_ref in (None, ""):
            member = ctx.default_member(team)
            if member is None:
                errors.append(
                    _error("member", "required", _("Cần chọn thành viên tổ đã hướng dẫn."))
                )
        else:
            member_id = _ref(member_ref)
            member = ctx.members.get(member_id) if member_id is not None else None
            if member_id is None:
                errors.append(
                    _error("member", "invalid", _("Mã thành viên phải là một số nguyên dương."))
                )
            elif member is None or member.team_id != team.pk or not member.is_active:
                errors.append(
                    _error(
                        "member",
                        "not_in_team",
                        _("Người hướng dẫn không phải là thành viên đang hoạt động của tổ này."),
                    )
                )
                member = None
            elif member is not ctx.default_member(team) and not ctx.may_log_for_others(team):
                errors.append(
                    _error(
                        "member",
                        "forbidden",
                        _("Chỉ tổ trưởng được ghi nhận lượt hướng dẫn thay cho thành viên khác."),
                    )
                )
                member = None
    return team, member


def _when(ctx: Context, data: dict, errors: list):
    """When it happened (local day), and the door-to-door window that contains it."""
    occurred_at = day = window = None
    raw_when = data.get("occurred_at")
    if raw_when in (None, ""):
        errors.append(_error("occurred_at", "required", _("Cần nhập thời điểm hướng dẫn.")))
    else:
        occurred_at = _parse_when(raw_when)
        if occurred_at is None:
            errors.append(
                _error(
                    "occurred_at",
                    "invalid",
                    _(
                        "Thời điểm hướng dẫn không đúng định dạng (ví dụ 2025-10-01T09:30:00+07:00)."  # noqa: E501
                    ),
                )
            )
        else:
            if occurred_at.tzinfo is None:
                occurred_at = occurred_at.replace(tzinfo=ctx.tz)
            day = occurred_at.astimezone(ctx.tz).date()
            if occurred_at > ctx.now + FUTURE_SKEW:
                errors.append(
                    _error(
                        "occurred_at",
                        "in_future",
                        _(
                            "Thời điểm hướng dẫn (%(day)s) chưa tới; hãy kiểm tra ngày giờ trên điện thoại."  # noqa: E501
                        )
                        % {"day": _d(day)},
                    )
                )
            else:
                windows = ctx.windows.get(day.year, [])
                window = next((w for w in windows if w.contains(day)), None)
                if window is None and windows:
                    names = "; ".join(
                        _("đợt “%(name)s” từ %(start)s đến %(end)s")
                        % {"name": w.name, "start": _d(w.starts_on), "end": _d(w.ends_on)}
                        for w in windows
                    )
                    errors.append(
                        _error(
                            "occurred_at",
                            "outside_window",
                            _("Ngày %(day)s nằm ngoài %(windows)s, nên không được ghi nhận.")
                            % {"day": _d(day), "windows": names},
                        )
                    )
                elif window is None:
                    errors.append(
                        _error(
                            "occurred_at",
                            "no_window",
                            _(
                                "Năm %(year)s chưa có đợt “Đi từng ngõ, gõ từng nhà”, nên ngày %(day)s không được ghi nhận."  # noqa: E501
                            )
                            % {"year": day.year, "day": _d(day)},
                        )
                    )
    return occurred_at, day, window


def _counts(data: dict, errors: list):
    """Households visited and people guided (parts never exceed their total)."""
    households = _int(data, "households_visited", errors, lambda: _("số hộ đã đến"), MAX_HOUSEHOLDS)
    people = _int(data, "people_guided", errors, lambda: _("số người được hướng dẫn"), MAX_PEOPLE)
    if households == 0 and people:
        errors.append(
            _error(
                "households_visited",
                "parts_exceed_total",
                _("Đã hướng dẫn %(n)s người thì số hộ đã đến phải ít nhất là 1.") % {"n": people},
            )
        )
    return households, people


def _topics(ctx: Context, data: dict, people: int | None, errors: list):
    """The per-topic figures: known topics, each once, within the session's totals."""
    topics: list[tuple[int, int, int]] = []
    canonical_topics: list[list] = []
    activation = 0
    raw_topics = data.get("topics")
    if raw_topics is None:
        raw_topics = []
    if not isinstance(raw_topics, list):
        errors.append(_error("topics", "invalid", _("Danh sách nội dung hướng dẫn không hợp lệ.")))
        raw_topics = []
    if people and not raw_topics:
        errors.append(
            _error("topics", "required", _("Cần chọn ít nhất một nội dung đã hướng dẫn."))
        )
    seen: set[str] = set()
    for i, item in enumerate(raw_topics):
        prefix = f"topics.{i}."
        if not isinstance(item, dict):
            errors.append(_error(f"topics.{i}", "invalid", _("Nội dung hướng dẫn không hợp lệ.")))
            continue
        code = item.get("topic")
        topic = ctx.topics.get(code) if isinstance(code, str) else None
        if topic is None:
            errors.append(
                _error(
                    prefix + "topic",
                    "unknown_topic",
                    _("Không có nội dung hướng dẫn “%(code)s” trong danh mục.") % {"code": code},
                )
            )
            continue
        if code in seen:
            errors.append(
                _error(
                    prefix + "topic",
                    "duplicate_topic",
                    _("Nội dung “%(name)s” được nhập hai lần.") % {"name": topic.name},
                )
            )
            continue
        seen.add(code)
        t_people = _int(
            item,
            "people_guided",
            errors,
            lambda topic=topic: _("số người được hướng dẫn về “%(name)s”") % {"name": topic.name},
            MAX_PEOPLE,
            prefix,
        )
        outcome = item.get("outcome", 0)
        outcome = _int(
            {"outcome": outcome},
            "outcome",
            errors,
            lambda topic=topic: topic.outcome_label,
            MAX_PEOPLE,
            prefix,
        )
        if t_people is None or outcome is None:
            continue
        if people is not None and t_people > people:
            errors.append(
                _error(
                    prefix + "people_guided",
                    "parts_exceed_total",
                    _(
                        "Số người được hướng dẫn về “%(name)s” (%(part)s) không được lớn hơn tổng số người được hướng dẫn (%(total)s)."  # noqa: E501
                    )
                    % {"name": topic.name, "part": t_people, "total": people},
                )
            )
            continue
        if outcome > t_people:
            errors.append(
                _error(
                    prefix + "outcome",
                    "parts_exceed_total",
                    _(
                        "Số %(label)s (%(part)s) không được lớn hơn số người được hướng dẫn về “%(name)s” (%(total)s)."  # noqa: E501
                    )
                    % {
                        "label": topic.outcome_label,
                        "part": outcome,
                        "name": topic.name,
                        "total": t_people,
                    },
                )
            )
            continue
        topics.append((topic.pk, t_people, outcome))
        canonical_topics.append([code, t_people, outcome])
        if topic.counts_as_activation:
            activation += outcome
    return topics, canonical_topics, activation


def _note(data: dict, errors: list) -> str:
    """A short note, never with a citizen's phone, ID number, e-mail or house address."""
    note = data.get("note") or ""
    if not isinstance(note, str):
        errors.append(_error("note", "invalid", _("Ghi chú phải là văn bản.")))
        note = ""
    note = nfc(note).strip()
    if len(note) > NOTE_MAX:
        errors.append(
            _error("note", "too_long", _("Ghi chú dài tối đa %(n)s ký tự.") % {"n": NOTE_MAX})
        )
    elif note and contains_personal_data(note):  # refused, never stored
        errors.append(
            _error(
                "note",
                "personal_data",
                _(
                    "Ghi chú không được chứa số điện thoại, số định danh, thư điện tử hay địa chỉ "
                    "nhà của người dân."
                ),
            )
        )
    return note


def _household(ctx: Context, data: dict, errors: list) -> str:
    """The optional household reference, kept only as a keyed hash."""
    household_hash = ""
    ref = data.get("household_ref")
    if ref not in (None, ""):
        if not isinstance(ref, str):
            errors.append(_error("household_ref", "invalid", _("Mã hộ phải là văn bản.")))
        else:
            # A keyed hash (HMAC-SHA256), so nobody without the key can test guesses against
            # stored references. A phone number is not a household reference.
            household_hash = hmac.new(
                ctx.salt.encode(), nfc(ref).strip().lower().encode(), hashlib.sha256
            ).hexdigest()
    return household_hash


def validate_session(ctx: Context, index: int, data: Any) -> tuple[Valid | None, list[dict], str]:
    """A validated session, or the errors (each {field, code, message}) and the raw client_id.

    Every field group is checked even after an error, so the phone learns all that is wrong."""
    if not isinstance(data, dict):
        return (
            None,
            [_error(None, "invalid", _("Mỗi lượt hướng dẫn phải là một đối tượng JSON."))],
            "",
        )
    errors: list[dict] = []
    raw_cid = data.get("client_id")
    cid = _client_id(data, errors)
    team, member = _team_and_member(ctx, data, errors)
    occurred_at, day, window = _when(ctx, data, errors)
    households, people = _counts(data, errors)
    topics, canonical_topics, activation = _topics(ctx, data, people, errors)
    note = _note(data, errors)
    household_hash = _household(ctx, data, errors)

    raw_id = str(raw_cid) if raw_cid is not None else ""
    if errors:
        return None, errors, raw_id
    canonical_topics.sort()
    occurred_utc = occurred_at.astimezone(dt.UTC)
    content = json.dumps(
        [team.pk, member.pk, occurred_utc.isoformat(), households, people, canonical_topics,
         household_hash, note],
        separators=(",", ":"),
        ensure_ascii=False,
    )  # fmt: skip
    row = {
        "client_id": cid,
        "content_hash": hashlib.sha256(content.encode()).hexdigest(),
        "campaign_id": window.campaign_id,
        "team_id": team.pk,
        "member_id": member.pk,
        "commune_id": team.commune_id,
        "province_id": team.province_id,
        "occurred_at": occurred_at,
        "day": day,
        "households_visited": households,
        "people_guided": people,
        "household_hash": household_hash,
        "note": note,
        "submitted_by_id": ctx.actor.user.pk,
        "received_at": ctx.now,
    }
    return Valid(index, cid, row["content_hash"], row, topics, activation), [], raw_id
