"""Failure mail against a real SMTP server on 127.0.0.1: STARTTLS and TLS, login, certificate."""

from __future__ import annotations

from pathlib import Path

import pytest

from paymatch.errors import MailError
from paymatch.shell.config import MailSecurity, MailSettings
from paymatch.shell.mail import compose, send
from paymatch.shell.secrets import SecretRef
from tests.servers import LOOPBACK, free_port, smtp_server, tls_certificate

PASSWORD = "smtp-secret-Ab12-cd"


def settings(port: int, security: MailSecurity, ca_file: Path | None) -> MailSettings:
    return MailSettings(
        host=LOOPBACK,
        port=port,
        security=security,
        sender="paymatch@shop.example",
        to=("accounting@shop.example", "it@shop.example"),
        user="paymatch",
        password=SecretRef(env="PAYMATCH_TEST_SMTP_PASSWORD"),
        ca_file=None if ca_file is None else str(ca_file),
        timeout=10,
    )


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMATCH_TEST_SMTP_PASSWORD", PASSWORD)


@pytest.mark.parametrize("security", [MailSecurity.STARTTLS, MailSecurity.TLS])
def test_a_mail_with_its_log_attached_arrives(tmp_path: Path, security: MailSecurity) -> None:
    cert, key = tls_certificate(tmp_path)
    implicit = security is MailSecurity.TLS
    with smtp_server(
        tls=(cert, key), implicit_tls=implicit, user="paymatch", password=PASSWORD
    ) as server:
        mail = settings(server.port, security, cert)
        message = compose(
            mail,
            subject="paymatch: job daily failed",
            body="The job failed.\n",
            attachment=("paymatch 2026-11-24 daily.log", "ERROR   bank: a.xml: broken\n"),
        )
        send(mail, message, base=tmp_path)
    (received,) = server.messages
    assert server.logins == [("paymatch", PASSWORD)]
    assert received["To"] == "accounting@shop.example, it@shop.example"
    assert received["Subject"] == "paymatch: job daily failed"
    (attachment,) = [part for part in received.walk() if part.get_filename()]
    assert attachment.get_filename() == "paymatch 2026-11-24 daily.log"
    assert attachment.get_payload(decode=True) == b"ERROR   bank: a.xml: broken\n"


def test_a_refused_login_and_an_untrusted_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = tls_certificate(tmp_path)
    with smtp_server(tls=(cert, key), user="paymatch", password=PASSWORD) as server:
        monkeypatch.setenv("PAYMATCH_TEST_SMTP_PASSWORD", "wrong-smtp-pass-9")
        mail = settings(server.port, MailSecurity.STARTTLS, cert)
        with pytest.raises(MailError, match="login refused for user 'paymatch'") as refused:
            send(mail, compose(mail, subject="s", body="b"), base=tmp_path)
        assert "wrong-smtp-pass-9" not in str(refused.value)
        untrusted = settings(server.port, MailSecurity.STARTTLS, None)
        with pytest.raises(MailError, match="TLS failed: CERTIFICATE_VERIFY_FAILED"):
            send(untrusted, compose(untrusted, subject="s", body="b"), base=tmp_path)
    assert server.messages == []


def test_no_server_there(tmp_path: Path) -> None:
    mail = settings(free_port(), MailSecurity.STARTTLS, None)
    with pytest.raises(MailError, match=f"mail server {LOOPBACK}:.*cannot connect"):
        send(mail, compose(mail, subject="s", body="b"), base=tmp_path)
