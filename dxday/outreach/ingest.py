"""`sessions_ingest`: the platform's hottest path, set-based from end to end.

One batch costs a fixed number of queries whatever its size (≈ 10 for 500 sessions):

1. load what validation needs: the teams named in the batch, their members, the topic
   catalogue, the door-to-door windows (4 small queries);
2. validate every session in Python, with field-level Vietnamese messages; compute a
   content hash of each normalised session;
3. dedupe: one SELECT of the client_ids already stored (same hash → duplicate, different →
   rejected with code ``conflict``);
4. in ONE transaction: a multi-row ``INSERT … ON CONFLICT (client_id) DO NOTHING RETURNING id,
   client_id`` (sorted by client_id, so that concurrent batches lock in the same order), a
   multi-row INSERT of the per-topic rows of the sessions actually inserted, and one
   ``INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`` per roll-up table.

Exact under concurrency: only the rows the INSERT *returned* feed the roll-ups, and the
unique index on client_id decides who inserted a row (on PostgreSQL the second writer waits
for the first to commit and then inserts nothing; on SQLite IMMEDIATE transactions queue).
The increments are done by the database in one statement, so there is no read-modify-write.
A session that lost such a race is classified after the INSERT (duplicate or conflict).

For bench/ (and bulk loads):
- `sessions_ingest(actor=..., sessions=[...])` is the whole path minus HTTP; an operator actor
  (`Actor(user=<superuser>, membership=None)`) may log for any team when each session names
  its `team` and `member`;
- roll-up maintenance is switched off with settings.DXDAY["OUTREACH_INCREMENTAL_ROLLUPS"] =
  False or the environment variable DXDAY_OUTREACH_ROLLUPS=off (then `rollups_rebuild()`,
  or `dxday rebuild-rollups`);
- the rate limit of the HTTP endpoints is DXDAY_OUTREACH_RATE="<requests>/<seconds>";
- a raw baseline into the same table: `SESSION_COLUMNS` and `db_converters` / `db_row` give
  the column list and the DB values a plain executemany or COPY needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import dateparse, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dxday.core.nul import contains_nul, invalid_characters_message
from dxday.core.text import nfc
from dxday.orgs.permissions import Actor, can
from dxday.plans.models import CampaignWindow

from . import conf
from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommunityTeam,
    GuidanceSession,
    ProvinceDayStat,
    ProvinceDayTopicStat,
    SessionTopic,
    TeamMember,
    TeamStat,
    Topic,
)

MAX_HOUSEHOLDS = 1_000
MAX_PEOPLE = 10_000
NOTE_MAX = 300
FUTURE_SKEW = dt.timedelta(minutes=10)
# A run of 9+ digits in a note looks like a phone or ID number: refused, never stored.
_PERSONAL_NUMBER = re.compile(r"\d[\d .\-]{7,}\d")


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


@dataclass
class _Valid:
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
    """An id sent as a number (or a string of digits)."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
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


class _Context:
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
            from django.db.models import Q

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
        self._default_member: dict[int, TeamMember | None] = {}

    def may_log(self, team: CommunityTeam) -> bool:
        if team.pk not in self._may_log:
            self._may_log[team.pk] = can(self.actor, "outreach.log", team.organisation)
        return self._may_log[team.pk]

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


def _validate(ctx: _Context, index: int, data: Any) -> tuple[_Valid | None, list[dict], str]:
    """A validated session, or the errors (each {field, code, message}) and the raw client_id."""
    errors: list[dict] = []
    if not isinstance(data, dict):
        return (
            None,
            [_error(None, "invalid", _("Mỗi lượt hướng dẫn phải là một đối tượng JSON."))],
            "",
        )
    raw_cid = data.get("client_id")
    if contains_nul(data):  # PostgreSQL refuses NUL in text: this session only is rejected
        raw_id = str(raw_cid) if raw_cid is not None else ""
        return None, [_error(None, "invalid_characters", invalid_characters_message())], raw_id
    cid = None
    with contextlib.suppress(ValueError):
        cid = uuid.UUID(str(raw_cid)) if raw_cid not in (None, "") else None
    if cid is None:
        errors.append(
            _error("client_id", "invalid", _("Mã lượt (client_id) phải là một UUID do máy tạo ra."))
        )

    # Team: the one named, else the actor's own; the commune always comes from the team.
    team = None
    team_ref = data.get("team")
    if team_ref in (None, ""):
        team = ctx.own_team
        if team is None:
            errors.append(_error("team", "required", _("Cần chọn tổ công nghệ số cộng đồng.")))
    else:
        team = ctx.teams.get(_ref(team_ref))
        if team is None or not ctx.may_log(team):
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
            member = ctx.members.get(_ref(member_ref))
            if member is None or member.team_id != team.pk or not member.is_active:
                errors.append(
                    _error(
                        "member",
                        "not_in_team",
                        _("Người hướng dẫn không phải là thành viên đang hoạt động của tổ này."),
                    )
                )
                member = None

    # When it happened, and the campaign window that contains it.
    occurred_at = None
    window = None
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

    note = data.get("note") or ""
    if not isinstance(note, str):
        errors.append(_error("note", "invalid", _("Ghi chú phải là văn bản.")))
        note = ""
    note = nfc(note).strip()
    if len(note) > NOTE_MAX:
        errors.append(
            _error("note", "too_long", _("Ghi chú dài tối đa %(n)s ký tự.") % {"n": NOTE_MAX})
        )
    elif _PERSONAL_NUMBER.search(note):
        errors.append(
            _error(
                "note",
                "personal_data",
                _("Ghi chú không được chứa số điện thoại hay số định danh cá nhân của người dân."),
            )
        )

    household_hash = ""
    ref = data.get("household_ref")
    if ref not in (None, ""):
        if not isinstance(ref, str):
            errors.append(_error("household_ref", "invalid", _("Mã hộ phải là văn bản.")))
        else:
            key = f"{ctx.salt}:{nfc(ref).strip().lower()}"
            household_hash = hashlib.sha256(key.encode()).hexdigest()

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
    return _Valid(index, cid, row["content_hash"], row, topics, activation), [], raw_id


# --- SQL helpers ---------------------------------------------------------------------------


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _max_params() -> int:
    return 30_000 if connection.vendor == "sqlite" else 60_000


def _chunks(rows: list, width: int):
    size = max(1, _max_params() // max(width, 1))
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _pg_cursor():
    """A server-side-binding psycopg cursor on Django's own connection (same transaction).

    Django's default client-side binding quotes every array element in Python, which showed
    up as the largest client cost of a batch; with server-side binding the arrays travel as
    parameters. Used only for the few fixed statements of the ingest.
    """
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _insert(model, columns: list[str], rows: list[tuple], suffix: str = "", returning: str = ""):
    """A multi-row INSERT of already-prepared values; returns the RETURNING rows, if any.

    On PostgreSQL the rows travel as one array per column (`INSERT … SELECT * FROM
    unnest(%s::uuid[], …)`): the statement text is the same whatever the batch size, so the
    driver does not re-parse thousands of placeholders (the top cost in the profile of the
    VALUES form) and the server plans it once. SQLite gets a multi-row VALUES.
    """
    if not rows:
        return []
    table = _qn(model._meta.db_table)
    cols = ", ".join(_qn(c) for c in columns)
    tail = f" {suffix}" + (f" RETURNING {returning}" if returning else "")
    out = []
    if connection.vendor == "postgresql":
        fields = {f.attname: f for f in model._meta.concrete_fields}
        casts = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
        sql = f"INSERT INTO {table} ({cols}) SELECT * FROM unnest({casts}){tail}"
        with _pg_cursor() as cursor:
            cursor.execute(sql, [list(col) for col in zip(*rows, strict=True)])
            return cursor.fetchall() if returning else []
    with connection.cursor() as cursor:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for chunk in _chunks(rows, len(columns)):
            sql = f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(chunk))}{tail}"
            cursor.execute(sql, [v for r in chunk for v in r])
            if returning:
                out.extend(cursor.fetchall())
    return out


def db_converters(model, columns: list[str]):
    """One converter per column (Python value → DB value), None where the value passes as is.

    Field.get_db_prep_save per value costs a connection-proxy lookup each time, which was the
    largest single cost of a batch in the profile; integers and strings need no conversion.
    """
    from django.db import connections
    from django.db.models import DateField, DateTimeField, UUIDField

    conn = connections["default"]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for c in columns:
        f = fields[c]
        if isinstance(f, UUIDField):
            out.append((lambda v: v) if conn.features.has_native_uuid_field else (lambda v: v.hex))
        elif isinstance(f, DateTimeField):
            out.append(conn.ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            out.append(conn.ops.adapt_datefield_value)
        else:
            out.append(None)
    return out


def db_row(converters, values) -> tuple:
    return tuple(
        v if fn is None or v is None else fn(v) for fn, v in zip(converters, values, strict=True)
    )


SESSION_COLUMNS = [
    "client_id", "content_hash", "campaign_id", "team_id", "member_id", "commune_id",
    "province_id", "occurred_at", "day", "households_visited", "people_guided",
    "household_hash", "note", "submitted_by_id", "received_at",
]  # fmt: skip


def _upsert(model, columns: list[str], key: list[str], adds: list[str], rows, greatest: str = ""):
    if not rows:
        return
    table = _qn(model._meta.db_table)
    sets = [f"{_qn(c)} = {table}.{_qn(c)} + excluded.{_qn(c)}" for c in adds]
    if greatest:
        fn = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        sets.append(f"{_qn(greatest)} = {fn}({table}.{_qn(greatest)}, excluded.{_qn(greatest)})")
    suffix = f"ON CONFLICT ({', '.join(_qn(k) for k in key)}) DO UPDATE SET {', '.join(sets)}"
    fields = db_converters(model, columns)
    # Sorted, so that concurrent transactions lock roll-up rows in the same order.
    prepared = [db_row(fields, r) for r in sorted(rows, key=lambda r: tuple(map(str, r)))]
    _insert(model, columns, prepared, suffix)


def rollups_apply(valids: list[_Valid]) -> None:
    """Add the sessions just inserted to every roll-up table (set-based upserts)."""
    cds: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    cdts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    cs: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ts: dict[tuple, list] = {}
    for v in valids:
        r = v.row
        camp, prov, comm, day = r["campaign_id"], r["province_id"], r["commune_id"], r["day"]
        hh, pp = r["households_visited"], r["people_guided"]
        a = cds[(camp, prov, comm, day)]
        a[0] += 1
        a[1] += hh
        a[2] += pp
        for topic_id, t_people, outcome in v.topics:
            b = cdts[(camp, prov, comm, day, topic_id)]
            b[0] += 1
            b[1] += t_people
            b[2] += outcome
        c = cs[(camp, prov, comm)]
        c[0] += 1
        c[1] += hh
        c[2] += pp
        c[3] += v.activation
        t = ts.get((camp, r["team_id"]))
        if t is None:
            ts[(camp, r["team_id"])] = [1, hh, pp, r["occurred_at"]]
        else:
            t[0] += 1
            t[1] += hh
            t[2] += pp
            t[3] = max(t[3], r["occurred_at"])
    _upsert(
        CommuneDayStat,
        ["campaign_id", "province_id", "commune_id", "day", "sessions", "households_visited",
         "people_guided"],
        ["campaign_id", "commune_id", "day"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in cds.items()],
    )  # fmt: skip
    _upsert(
        CommuneDayTopicStat,
        ["campaign_id", "province_id", "commune_id", "day", "topic_id", "sessions",
         "people_guided", "outcome"],
        ["campaign_id", "commune_id", "day", "topic_id"],
        ["sessions", "people_guided", "outcome"],
        [(*k, *v) for k, v in cdts.items()],
    )  # fmt: skip
    pds: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (camp, prov, _comm, day), v in cds.items():
        p = pds[(camp, prov, day)]
        for i in range(3):
            p[i] += v[i]
    pdts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (camp, prov, _comm, day, topic_id), v in cdts.items():
        p = pdts[(camp, prov, day, topic_id)]
        for i in range(3):
            p[i] += v[i]
    _upsert(
        ProvinceDayStat,
        ["campaign_id", "province_id", "day", "sessions", "households_visited", "people_guided"],
        ["campaign_id", "province_id", "day"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in pds.items()],
    )
    _upsert(
        ProvinceDayTopicStat,
        ["campaign_id", "province_id", "day", "topic_id", "sessions", "people_guided", "outcome"],
        ["campaign_id", "province_id", "day", "topic_id"],
        ["sessions", "people_guided", "outcome"],
        [(*k, *v) for k, v in pdts.items()],
    )
    _upsert(
        CommuneStat,
        ["campaign_id", "province_id", "commune_id", "sessions", "households_visited",
         "people_guided", "accounts_activated"],
        ["campaign_id", "commune_id"],
        ["sessions", "households_visited", "people_guided", "accounts_activated"],
        [(*k, *v) for k, v in cs.items()],
    )  # fmt: skip
    _upsert(
        TeamStat,
        ["campaign_id", "team_id", "sessions", "households_visited", "people_guided",
         "last_occurred_at"],
        ["campaign_id", "team_id"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in ts.items()],
        greatest="last_occurred_at",
    )  # fmt: skip


def _stored_hashes(client_ids) -> dict[uuid.UUID, str]:
    client_ids = list(client_ids)
    if not client_ids:
        return {}
    if connection.vendor == "postgresql":
        table = _qn(GuidanceSession._meta.db_table)
        with _pg_cursor() as cursor:
            cursor.execute(
                f"SELECT client_id, content_hash FROM {table} WHERE client_id = ANY(%s)",
                [client_ids],
            )
            return dict(cursor.fetchall())
    return dict(
        GuidanceSession.objects.filter(client_id__in=list(client_ids)).values_list(
            "client_id", "content_hash"
        )
    )


def _conflict(v: _Valid) -> dict:
    return {
        "index": v.index,
        "client_id": str(v.client_id),
        "errors": [
            _error(
                "client_id",
                "conflict",
                _(
                    "Mã lượt này đã được gửi trước đó với nội dung khác; lượt mới không được ghi nhận."  # noqa: E501
                ),
            )
        ],
    }


def sessions_ingest(*, actor: Actor, sessions: list[dict]) -> IngestResult:
    """Validate, dedupe and store a batch of guidance sessions; keep roll-ups current.

    Valid sessions are saved even when others are rejected; a resent client_id with the same
    content counts as a duplicate, with different content it is rejected (code ``conflict``).
    """
    result = IngestResult()
    ctx = _Context(actor, sessions)
    valids: dict[uuid.UUID, _Valid] = {}
    for index, data in enumerate(sessions):
        valid, errors, raw_id = _validate(ctx, index, data)
        if valid is None:
            result.rejected.append({"index": index, "client_id": raw_id, "errors": errors})
            continue
        earlier = valids.get(valid.client_id)
        if earlier is not None:  # the same client_id twice in one batch
            if earlier.content_hash == valid.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(valid))
            continue
        valids[valid.client_id] = valid

    stored = _stored_hashes(valids.keys())
    fresh: list[_Valid] = []
    for cid, v in valids.items():
        if cid in stored:
            if stored[cid] == v.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(v))
        else:
            fresh.append(v)
    if fresh:
        fresh.sort(key=lambda v: v.client_id.hex)
        with transaction.atomic():
            inserted = _store(fresh)
        lost = [v for v in fresh if v.client_id not in inserted]
        result.accepted += len(fresh) - len(lost)
        if lost:  # another request stored them between our SELECT and our INSERT
            stored = _stored_hashes(v.client_id for v in lost)
            for v in lost:
                if stored.get(v.client_id) == v.content_hash:
                    result.duplicates += 1
                else:
                    result.rejected.append(_conflict(v))
    result.rejected.sort(key=lambda r: r["index"])
    return result


def _store(fresh: list[_Valid]) -> set[uuid.UUID]:
    """Insert the sessions (ignoring client_ids already there), their topics and roll-ups.

    Returns the client_ids this call actually inserted.
    """
    fields = db_converters(GuidanceSession, SESSION_COLUMNS)
    rows = [db_row(fields, [v.row[c] for c in SESSION_COLUMNS]) for v in fresh]
    returned = _insert(
        GuidanceSession,
        SESSION_COLUMNS,
        rows,
        suffix=f"ON CONFLICT ({_qn('client_id')}) DO NOTHING",
        returning=f"{_qn('id')}, {_qn('client_id')}",
    )
    ids = {}
    for pk, cid in returned:
        ids[cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid))] = pk
    inserted = [v for v in fresh if v.client_id in ids]
    topic_rows = [
        (ids[v.client_id], topic_id, t_people, outcome)
        for v in inserted
        for topic_id, t_people, outcome in v.topics
    ]
    _insert(SessionTopic, ["session_id", "topic_id", "people_guided", "outcome"], topic_rows)
    if conf.incremental_rollups():
        rollups_apply(inserted)
    return set(ids)
