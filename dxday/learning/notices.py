"""Notices to registrants (run on the task worker, after the service's transaction)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration


def registration_notify_promoted(*, registration_id: int) -> None:
    """Tell a person a seat is held for them: by e-mail when their contact is one (an SMS
    gateway plugs in here); the ticket page shows it in any case. The contact is never
    logged."""
    reg = Registration.objects.select_related("offering").filter(pk=registration_id).first()
    if reg is None or reg.status != Registration.Status.HELD:
        return
    if "@" in reg.contact:
        until = timezone.localtime(reg.hold_until).strftime("%H:%M %d/%m/%Y")
        send_mail(
            _("Đã có chỗ cho bạn: %(t)s") % {"t": reg.offering.title},
            _(
                "Một chỗ trong lớp “%(t)s” đang được giữ cho bạn đến %(until)s. "
                "Hãy mở vé của bạn (mã %(code)s) để xác nhận."
            )
            % {"t": reg.offering.title, "until": until, "code": reg.code},
            None,
            [reg.contact],
            fail_silently=True,
        )
    Registration.objects.filter(pk=reg.pk).update(notified_at=timezone.now())
