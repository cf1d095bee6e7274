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
from typing import Any

from django.utils.translation import gettext as _

from dxday.core.nul import contains_nul, invalid_characters_message
from dxday.core.personal import contains_personal_data
from dxday.core.text import nfc

from .context import (
    FUTURE_SKEW,
    MAX_HOUSEHOLDS,
    MAX_PEOPLE,
    NOTE_MAX,
    Context,
    Valid,
    day_text,
    error,
    parse_when,
    ref_id,
    whole_number,
)

__all__ = ["Context", "Valid", "validate_session"]


def _client_id(data: dict, errors: list) -> uuid.UUID | None:
    """The session's own id, made by the phone (the idempotency key)."""
    raw_cid = data.get("client_id")
    cid = None
    with contextlib.suppress(ValueError):
        cid = uuid.UUID(str(raw_cid)) if raw_cid not in (None, "") else None
    if cid is None:
        errors.append(
            error("client_id", "invalid", _("Mã lượt (client_id) phải là một UUID do máy tạo ra."))
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
            errors.append(error("team", "required", _("Cần chọn tổ công nghệ số cộng đồng.")))
    else:
        team_id = ref_id(team_ref)
        team = ctx.teams.get(team_id) if team_id is not None else None
        if team_id is None:
            errors.append(error("team", "invalid", _("Mã tổ phải là một số nguyên dương.")))
        elif team is None or not ctx.may_log(team):
            errors.append(
                error("team", "not_found", _("Không tìm thấy tổ này, hoặc bạn không thuộc tổ."))
            )
            team = None
    if team is not None and not ctx.may_log(team):
        errors.append(
            error("team", "forbidden", _("Bạn không được ghi nhận lượt hướng dẫn cho tổ này."))
        )
        team = None

    member = None
    if team is not None:
        member_ref = data.get("member")
        if member_ref in (None, ""):
            member = ctx.default_member(team)
            if member is None:
                errors.append(
                    error("member", "required", _("Cần chọn thành viên tổ đã hướng dẫn."))
                )
        else:
            member_id = ref_id(member_ref)
            member = ctx.members.get(member_id) if member_id is not None else None
            if member_id is None:
                errors.append(
                    error("member", "invalid", _("Mã thành viên phải là một số nguyên dương."))
                )
            elif member is None or member.team_id != team.pk or not member.is_active:
                errors.append(
                    error(
                        "member",
                        "not_in_team",
                        _("Người hướng dẫn không phải là thành viên đang hoạt động của tổ này."),
                    )
                )
                member = None
            elif member is not ctx.default_member(team) and not ctx.may_log_for_others(team):
                errors.append(
                    error(
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
        errors.append(error("occurred_at", "required", _("Cần nhập thời điểm hướng dẫn.")))
    else:
        occurred_at = parse_when(raw_when)
        if occurred_at is None:
            errors.append(
                error(
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
                    error(
                        "occurred_at",
                        "in_future",
                        _(
                            "Thời điểm hướng dẫn (%(day)s) chưa tới; hãy kiểm tra ngày giờ trên điện thoại."  # noqa: E501
                        )
                        % {"day": day_text(day)},
                    )
                )
            else:
                windows = ctx.windows.get(day.year, [])
                window = next((w for w in windows if w.contains(day)), None)
                if window is None and windows:
                    names = "; ".join(
                        _("đợt “%(name)s” từ %(start)s đến %(end)s")
                        % {
                            "name": w.name,
                            "start": day_text(w.starts_on),
                            "end": day_text(w.ends_on),
                        }
                        for w in windows
                    )
                    errors.append(
                        error(
                            "occurred_at",
                            "outside_window",
                            _("Ngày %(day)s nằm ngoài %(windows)s, nên không được ghi nhận.")
                            % {"day": day_text(day), "windows": names},
                        )
                    )
                elif window is None:
                    errors.append(
                        error(
                            "occurred_at",
                            "no_window",
                            _(
                                "Năm %(year)s chưa có đợt “Đi từng ngõ, gõ từng nhà”, nên ngày %(day)s không được ghi nhận."  # noqa: E501
                            )
                            % {"year": day.year, "day": day_text(day)},
                        )
                    )
    return occurred_at, day, window


def _counts(data: dict, errors: list):
    """Households visited and people guided (parts never exceed their total)."""
    households = whole_number(
        data, "households_visited", errors, lambda: _("số hộ đã đến"), MAX_HOUSEHOLDS
    )
    people = whole_number(
        data, "people_guided", errors, lambda: _("số người được hướng dẫn"), MAX_PEOPLE
    )
    if households == 0 and people:
        errors.append(
            error(
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
        errors.append(error("topics", "invalid", _("Danh sách nội dung hướng dẫn không hợp lệ.")))
        raw_topics = []
    if people and not raw_topics:
        errors.append(error("topics", "required", _("Cần chọn ít nhất một nội dung đã hướng dẫn.")))
    seen: set[str] = set()
    for i, item in enumerate(raw_topics):
        prefix = f"topics.{i}."
        if not isinstance(item, dict):
            errors.append(error(f"topics.{i}", "invalid", _("Nội dung hướng dẫn không hợp lệ.")))
            continue
        code = item.get("topic")
        topic = ctx.topics.get(code) if isinstance(code, str) else None
        if topic is None:
            errors.append(
                error(
                    prefix + "topic",
                    "unknown_topic",
                    _("Không có nội dung hướng dẫn “%(code)s” trong danh mục.") % {"code": code},
                )
            )
            continue
        if code in seen:
            errors.append(
                error(
                    prefix + "topic",
                    "duplicate_topic",
                    _("Nội dung “%(name)s” được nhập hai lần.") % {"name": topic.name},
                )
            )
            continue
        seen.add(code)
        t_people = whole_number(
            item,
            "people_guided",
            errors,
            lambda topic=topic: _("số người được hướng dẫn về “%(name)s”") % {"name": topic.name},
            MAX_PEOPLE,
            prefix,
        )
        outcome = item.get("outcome", 0)
        outcome = whole_number(
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
                error(
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
                error(
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
        errors.append(error("note", "invalid", _("Ghi chú phải là văn bản.")))
        note = ""
    note = nfc(note).strip()
    if len(note) > NOTE_MAX:
        errors.append(
            error("note", "too_long", _("Ghi chú dài tối đa %(n)s ký tự.") % {"n": NOTE_MAX})
        )
    elif note and contains_personal_data(note):  # refused, never stored
        errors.append(
            error(
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
            errors.append(error("household_ref", "invalid", _("Mã hộ phải là văn bản.")))
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
            [error(None, "invalid", _("Mỗi lượt hướng dẫn phải là một đối tượng JSON."))],
            "",
        )
    raw_cid = data.get("client_id")
    if contains_nul(data):  # PostgreSQL refuses NUL in text: this session only is rejected
        raw_id = str(raw_cid) if raw_cid is not None else ""
        return None, [error(None, "invalid_characters", invalid_characters_message())], raw_id
    errors: list[dict] = []
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
