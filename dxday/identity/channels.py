"""How a verification code reaches a person: one channel per kind of contact.

E-mail goes through Django's mail backend (console by default). SMS goes through a gateway named
by `settings.SMS_GATEWAY` (a dotted path to a class with `send(number, text)`); the default keeps
messages in `OUTBOX` and prints them with the number masked, for development and tests. A real
gateway (a telecom's HTTP API) is one small class. Contacts never reach a log: only masked.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.text import nfc

from .models import Kind


class Channel(Protocol):
    kind: str

    def normalise(self, contact: str) -> str: ...

    def mask(self, contact: str) -> str: ...

    def send(self, contact: str, text: str) -> None: ...


def _invalid(message: str) -> DomainError:
    return DomainError(message, code="invalid_contact", field="contact", status=422)


class EmailChannel:
    kind = Kind.EMAIL

    def normalise(self, contact: str) -> str:
        value = nfc(contact or "").strip().lower()
        try:
            validate_email(value)
        except ValidationError:
            raise _invalid(_("Địa chỉ thư điện tử không hợp lệ.")) from None
        return value

    def mask(self, contact: str) -> str:
        local, _at, domain = contact.partition("@")
        return f"{local[:2]}***@{domain}"

    def send(self, contact: str, text: str) -> None:
        send_mail(
            _("Mã xác minh dxday"),
            text,
            settings.DEFAULT_FROM_EMAIL,
            [contact],
            fail_silently=False,
        )


_PHONE = re.compile(r"^0[35789]\d{8}$")


class SmsChannel:
    kind = Kind.PHONE

    def normalise(self, contact: str) -> str:
        value = re.sub(r"[\s.\-()]", "", nfc(contact or ""))
        if value.startswith("+84"):
            value = "0" + value[3:]
        elif value.startswith("84") and len(value) == 11:
            value = "0" + value[2:]
        if not _PHONE.match(value):
            raise _invalid(_("Số điện thoại di động không hợp lệ (10 chữ số, ví dụ 0912345678)."))
        return value

    def mask(self, contact: str) -> str:
        return f"{contact[:3]}*****{contact[-2:]}"

    def send(self, contact: str, text: str) -> None:
        import_string(settings.SMS_GATEWAY)().send(contact, text)


@dataclass
class OutboxMessage:
    number: str
    text: str


OUTBOX: list[OutboxMessage] = []


class OutboxSmsGateway:
    """Development gateway: keeps the message (tests read OUTBOX) and prints it masked."""

    def send(self, number: str, text: str) -> None:
        OUTBOX.append(OutboxMessage(number, text))
        masked = SmsChannel().mask(number)
        print(f"[SMS → {masked}] {text}", file=sys.stdout)


CHANNELS: dict[str, Channel] = {Kind.EMAIL: EmailChannel(), Kind.PHONE: SmsChannel()}


def channel_for(kind: str) -> Channel:
    channel = CHANNELS.get(kind)
    if channel is None:
        raise DomainError(
            _("Chỉ xác minh được bằng thư điện tử hoặc số điện thoại."),
            code="unsupported_kind",
            field="kind",
            status=422,
        )
    return channel
