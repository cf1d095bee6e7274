"""What the demo reports share: accounts, generated photos, one report through the real services."""

from __future__ import annotations

import datetime
import io
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dxday.orgs.models import Membership, Organisation
from dxday.orgs.permissions import Actor
from dxday.plans.models import Assignment, Campaign

from .. import services
from ..models import Activity

D = datetime.date
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _log(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _actor(username: str, role: str, org_code: str, full_name: str) -> Actor | None:
    from dxday.orgs.demo import demo_account

    if not Organisation.objects.filter(code=org_code).exists():
        return None
    user = demo_account(username=username, role=role, org_code=org_code, full_name=full_name)
    membership = Membership.objects.select_related("organisation").get(
        user=user, organisation__code=org_code, role=role
    )
    return Actor(user=user, membership=membership)


def _photo(seed: int) -> SimpleUploadedFile:
    """A small generated picture (a banner in the campaign colours) as demo evidence."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (11, 58, 110))
    draw = ImageDraw.Draw(image)
    for i in range(0, 640, 40):
        shade = (20 + (i + seed * 37) % 120, 84, 156)
        draw.rectangle([i, 240, i + 38, 360], fill=shade)
    draw.ellipse([40 + seed * 30 % 400, 60, 200 + seed * 30 % 400, 220], fill=(179, 20, 27))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"anh-{seed}.png", buffer.getvalue(), content_type="image/png")


def _assignment(org_code: str, campaign: Campaign, category: str) -> Assignment | None:
    return (
        Assignment.objects.filter(
            organisation__code=org_code,
            task__plan__campaign=campaign,
            task__category=category,
        )
        .select_related("task")
        .order_by("task__plan__organisation__depth", "task__order", "pk")
        .last()
    )


def _report(
    *,
    reporter: Actor,
    campaign: Campaign,
    organisation: Organisation,
    assignment: Assignment | None,
    spec: dict,
    reviewer: Actor | None,
    outcome: str,
    photo: int | None = None,
) -> Activity | None:
    """Create, submit and review one activity unless it exists. outcome: draft, submitted,
    accepted or returned:<reason>."""
    if Activity.objects.filter(
        organisation=organisation, campaign=campaign, title=spec["title"]
    ).exists():
        return None
    values = spec.pop("values", {})
    allowed = {i.code for i in assignment.task.indicators.all()} if assignment is not None else None
    if allowed is not None:
        values = {k: v for k, v in values.items() if k in allowed}
    with transaction.atomic():
        activity = services.activity_create(
            by=reporter,
            assignment=assignment,
            organisation=organisation,
            campaign=campaign,
            data=spec,
            values=values,
        )
        if photo is not None:
            services.evidence_add(activity=activity, by=reporter, upload=_photo(photo))
        if outcome == "draft":
            return activity
        services.activity_submit(activity=activity, by=reporter)
        if outcome == "accepted" and reviewer is not None:
            services.activity_accept(activity=activity, by=reviewer)
        elif outcome.startswith("returned:") and reviewer is not None:
            services.activity_return(activity=activity, by=reviewer, reason=outcome[9:])
        # Backdate the workflow into the campaign, as if it happened then.
        when = datetime.datetime.combine(spec["ends_on"], datetime.time(16, 0), tzinfo=VN)
        Activity.objects.filter(pk=activity.pk).update(
            submitted_at=when,
            reviewed_at=when + datetime.timedelta(days=2) if outcome != "submitted" else None,
            published_at=when + datetime.timedelta(days=2) if outcome == "accepted" else None,
        )
    return activity
