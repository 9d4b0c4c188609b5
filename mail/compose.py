"""From an outbox row to the MIME message that goes on the wire (or into an .eml file)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """What a worker needs from a claimed outbox row (a plain value: no session attached)."""

    id: uuid.UUID
    message_id: str
    recipient: str
    subject: str
    text_body: str
    html_body: str
    created_at: datetime
    attempts: int
    leased_until: datetime


def build_email(mail: OutgoingMail, mail_from: str) -> EmailMessage:
    """multipart/alternative (text first, HTML preferred by clients that can show it).

    Every header comes from the row, so a retry sends the very same message: the same Date and
    the row's stable Message-ID, which lets a receiver recognize a duplicate after an ambiguous
    failure (the relay accepted the message but we never heard its answer).
    ``ValueError`` here (a header with a line break) means the row can never be sent.
    """
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    # RFC 3834: machine-generated, so auto-responders (vacation replies) stay quiet.
    message["Auto-Submitted"] = "auto-generated"
    # The text part goes as 8bit UTF-8 when its lines fit SMTP's 998-octet limit: quoted-printable
    # would turn every "token=" of a link into "token=3D" and break long links across lines, so
    # a reader of the raw message (a test harness, a mail log) would copy a wrong link.
    longest = max((len(line.encode()) for line in mail.text_body.splitlines()), default=0)
    message.set_content(mail.text_body, cte="8bit" if longest <= 998 else None)
    message.add_alternative(mail.html_body, subtype="html")
    return message
