"""Every write of materials: publish an item, change it, add a version, count a download."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.db import integrity_as_domain
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.pagecache import bump
from dxday.core.text import nfc, search_key
from dxday.orgs.permissions import Actor, ensure_can
from dxday.plans.models import Campaign

from . import files
from .models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, Material, MaterialVersion


def short_code_new() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def _search_key(material: Material) -> str:
    return search_key(" ".join([material.title, material.description, material.organisation.name,
                                material.organisation.short_name or ""]))[:500]  # fmt: skip


def _clean_link(link: str) -> str:
    link = nfc(link).strip()
    if link and not link.lower().startswith("https://"):
        raise DomainError(
            _("Đường dẫn video phải bắt đầu bằng https://."), code="bad_link", field="link",
            status=422,
        )  # fmt: skip
    return link


def _version_add(*, material: Material, by: Actor, upload, link: str, note: str) -> MaterialVersion:
    link = _clean_link(link or "")
    if upload is None and not link:
        raise DomainError(
            _("Hãy chọn một tệp hoặc nhập đường dẫn video."), code="no_content", status=422
        )
    if material.kind == Material.Kind.VIDEO and upload is None and not link:
        raise DomainError(_("Video cần một đường dẫn."), code="no_content", status=422)
    prepared = files.prepare(upload) if upload is not None else None
    number = material.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = MaterialVersion(material=material, number=number + 1, link=link,
                              note=nfc(note or "").strip()[:300],
                              created_by=by.user if by.user.pk else None)  # fmt: skip
    stored = None
    try:
        if prepared is not None:
            content_type, data = prepared
            version.content_type = content_type
            version.original_name = nfc(getattr(upload, "name", "") or "")[-200:] or "tep"
            version.size = data.size
            version.file.save(files.EXTENSIONS[content_type], data, save=False)
            stored = version.file.name
        clean_or_raise(version, exclude=["material", "created_by", "file"])
        with integrity_as_domain(_("Tài liệu vừa được cập nhật, hãy thử lại."), code="conflict"):
            version.save()
    except BaseException:
        if stored:
            version.file.storage.delete(stored)
        raise
    material.current = version
    material.save(update_fields=["current", "updated_at"])
    audit(material, "materials.material.version_added", by=by,
          changes={"version": [number or None, version.number]})  # fmt: skip
    return version


@transaction.atomic
def material_create(
    *,
    by: Actor,
    campaign: Campaign,
    kind: str,
    title: str,
    description: str = "",
    visibility: str = Material.Visibility.PUBLIC,
    upload=None,
    link: str = "",
) -> Material:
    """Publish an item for the actor's unit, with its first version (a file or a video link)."""
    organisation = by.organisation
    if organisation is None:
        raise DomainError(
            _("Hãy chọn đơn vị bạn làm việc thay mặt trước khi đăng tài liệu."),
            code="no_organisation",
            status=403,
        )
    ensure_can(by, "materials.manage", organisation)
    material = Material(campaign=campaign, organisation=organisation, kind=kind,
                        title=nfc(title).strip(), description=nfc(description).strip(),
                        visibility=visibility, short_code=short_code_new())  # fmt: skip
    material.search_key = _search_key(material)
    clean_or_raise(material, exclude=["current"])
    with integrity_as_domain(_("Mã rút gọn bị trùng, hãy thử lại."), code="conflict"):
        material.save()
    audit_created(material, "materials.material.created", by=by)
    bump("materials")  # the public library and item pages
    _version_add(material=material, by=by, upload=upload, link=link, note="")
    return material


@transaction.atomic
def material_update(
    *, material: Material, by: Actor, title: str, description: str, kind: str, visibility: str
) -> Material:
    ensure_can(by, "materials.manage", material.organisation)
    before = snapshot(material)
    material.title = nfc(title).strip()
    material.description = nfc(description).strip()
    material.kind = kind
    material.visibility = visibility
    material.search_key = _search_key(material)
    clean_or_raise(material, exclude=["current"])
    material.save(update_fields=["title", "description", "kind", "visibility", "search_key",
                                 "updated_at"])  # fmt: skip
    changes = {k: v for k, v in diff(before, material).items() if k != "search_key"}
    audit(material, "materials.material.updated", by=by, changes=changes)
    bump("materials")
    return material


@transaction.atomic
def material_version_add(
    *, material: Material, by: Actor, upload=None, link: str = "", note: str = ""
) -> MaterialVersion:
    """A new version of an item: its short code, and so its printed QR, stays the same."""
    ensure_can(by, "materials.manage", material.organisation)
    material = Material.objects.select_for_update().get(pk=material.pk)
    bump("materials")
    return _version_add(material=material, by=by, upload=upload, link=link, note=note)


def material_download_count(*, material: Material) -> None:
    """One more download, counted in the database (concurrent downloads are never lost)."""
    Material.objects.filter(pk=material.pk).update(downloads=F("downloads") + 1)
