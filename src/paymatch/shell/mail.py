"""Failure mail over SMTP (STARTTLS or TLS), with the run's log attached.

The seeds send an e-mail when an export or a sync fails, with the log of that run;
``paymatch mail test`` sends a test mail, as the seed's "Testmail" button. The server's
certificate is verified (``ca_file`` for a private CA). A server that refuses the mail
raises :class:`~paymatch.errors.MailError`; the password never appears in it.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from paymatch.errors import MailError
from paymatch.shell.config import MailSecurity, MailSettings
from paymatch.shell.secrets import redact

__all__ = ["compose", "send"]


def compose(
    settings: MailSettings,
    *,
    subject: str,
    body: str,
    attachment: tuple[str, str] | None = None,
) -> EmailMessage:
    """The message: plain text, with ``attachment`` (file name, text) as a UTF-8 text file."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Subject"] = subject
    message.set_content(redact(body))
    if attachment is not None:
        name, text = attachment
        message.add_attachment(
            redact(text).encode("utf-8"), maintype="text", subtype="plain", filename=name
        )
    return message


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with PLAIN where offered (one attempt, a clear refusal), else what smtplib picks."""
    smtp.ehlo_or_helo_if_needed()
    if "plain" in smtp.esmtp_features.get("auth", "").lower().split():
        smtp.user, smtp.password = user, password
        smtp.auth("PLAIN", smtp.auth_plain)
    else:
        smtp.login(user, password)


def send(settings: MailSettings, message: EmailMessage, *, base: Path) -> None:
    """Send ``message`` through the configured server; MailError saying why not."""
    where = f"mail server {settings.host}:{settings.port}"
    password = None if settings.password is None else settings.password.reveal("mail password")
    context = ssl.create_default_context(
        cafile=None if settings.ca_file is None else str(base / settings.ca_file)
    )
    try:
        smtp: smtplib.SMTP
        if settings.security is MailSecurity.TLS:
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.security is MailSecurity.STARTTLS:
                smtp.starttls(context=context)
            if settings.user is not None:
                _login(smtp, settings.user, password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"{where}: login refused for user {settings.user!r}") from None
    except smtplib.SMTPNotSupportedError as error:
        raise MailError(f"{where}: {redact(str(error))}") from None
    except smtplib.SMTPException as error:
        raise MailError(f"{where}: refused: {redact(str(error))}") from None
    except ssl.SSLError as error:
        raise MailError(f"{where}: TLS failed: {error.reason or error}") from None
    except (TimeoutError, OSError) as error:
        raise MailError(f"{where}: cannot connect: {error}") from None
