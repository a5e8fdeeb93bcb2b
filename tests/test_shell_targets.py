"""Delivery targets against real servers on 127.0.0.1: folder, SFTP, FTP and FTPS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from paymatch.errors import DeliveryError
from paymatch.shell.targets import FolderTarget, FtpTarget, SftpTarget, Target
from tests.servers import LOOPBACK, ftp_server, sftp_server, tls_certificate

USER, PASSWORD = "shop", "sftp-pass-0815"

MakeTarget = Callable[[Path], AbstractContextManager[Target]]


def _folder(root: Path) -> Iterator[Target]:
    with FolderTarget("local", root) as target:
        yield target


def _sftp(root: Path) -> Iterator[Target]:
    known_hosts = root.parent / "known_hosts"
    with sftp_server(root, user=USER, password=PASSWORD) as server:
        known_hosts.write_text(server.known_hosts_line(), encoding="ascii")
        with SftpTarget(
            "sftp",
            host=LOOPBACK,
            port=server.port,
            user=USER,
            folder="/",
            password=PASSWORD,
            known_hosts=known_hosts,
        ) as target:
            yield target


def _ftp(root: Path) -> Iterator[Target]:
    with (
        ftp_server(root, user=USER, password=PASSWORD) as port,
        FtpTarget(
            "ftp", host=LOOPBACK, port=port, user=USER, folder="/", password=PASSWORD
        ) as target,
    ):
        yield target


def _ftps(root: Path) -> Iterator[Target]:
    cert, key = tls_certificate(root.parent)
    with (
        ftp_server(root, user=USER, password=PASSWORD, tls=(cert, key)) as port,
        FtpTarget(
            "ftps",
            host=LOOPBACK,
            port=port,
            user=USER,
            folder="/",
            password=PASSWORD,
            tls=True,
            ca_file=cert,
        ) as target,
    ):
        yield target


KINDS = {"folder": _folder, "sftp": _sftp, "ftp": _ftp, "ftps": _ftps}


@pytest.fixture(params=sorted(KINDS))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Target, Path]]:
    root = tmp_path / "served"
    root.mkdir()
    generator = KINDS[request.param](root)
    target = next(generator)
    yield target, root
    with pytest.raises(StopIteration):
        next(generator)


def test_list_read_move_and_upload(served: tuple[Target, Path]) -> None:
    target, root = served
    (root / "b.xml").write_bytes(b"<b/>")
    (root / "a.xml").write_bytes(b"<a/>")
    (root / "notes.txt").write_bytes(b"not a statement")
    (root / ".a.xml.part").write_bytes(b"half")
    (root / "done").mkdir()
    assert target.list("*.xml") == ["a.xml", "b.xml"]
    assert target.read("a.xml") == b"<a/>"
    target.move("a.xml", "done")
    target.move("b.xml", "failed")  # a folder that does not exist yet
    assert (root / "done" / "a.xml").read_bytes() == b"<a/>"
    assert (root / "failed" / "b.xml").read_bytes() == b"<b/>"
    assert target.list("*.xml") == []

    target.upload("EXTF_batch1.csv", b"first")
    target.upload("EXTF_batch1.csv", b"second")  # replaced, not appended
    assert (root / "EXTF_batch1.csv").read_bytes() == b"second"
    assert not (root / ".EXTF_batch1.csv.part").exists()
    assert "writable" in target.test()
    assert not (root / ".paymatch-write-test").exists()


def test_errors_name_the_target_and_what_failed(served: tuple[Target, Path]) -> None:
    target, _ = served
    with pytest.raises(DeliveryError, match=rf"target '{target.name}'.*cannot read missing.xml"):
        target.read("missing.xml")


def test_sftp_refuses_an_unknown_or_changed_host_key_and_a_bad_login(tmp_path: Path) -> None:
    root = tmp_path / "served"
    root.mkdir()
    with sftp_server(root, user=USER, password=PASSWORD) as server:
        unknown = tmp_path / "empty_known_hosts"
        unknown.write_text("", encoding="ascii")
        options = {"host": LOOPBACK, "port": server.port, "user": USER, "folder": "/"}
        with (
            pytest.raises(DeliveryError, match=r"host key is not in .*empty_known_hosts: refused"),
            SftpTarget("bank", password=PASSWORD, known_hosts=unknown, **options),  # type: ignore[arg-type]
        ):
            pass
        with sftp_server(tmp_path, user=USER, password=PASSWORD) as other:
            changed = tmp_path / "changed_known_hosts"
            line = other.known_hosts_line().replace(str(other.port), str(server.port))
            changed.write_text(line, encoding="ascii")
        with (
            pytest.raises(DeliveryError, match="host key differs"),
            SftpTarget("bank", password=PASSWORD, known_hosts=changed, **options),  # type: ignore[arg-type]
        ):
            pass
        good = tmp_path / "known_hosts"
        good.write_text(server.known_hosts_line(), encoding="ascii")
        with pytest.raises(DeliveryError, match="login refused") as refused:  # noqa: SIM117
            with SftpTarget("bank", password="wrong-pass-4711", known_hosts=good, **options):  # type: ignore[arg-type]
                pass
        assert "wrong-pass-4711" not in str(refused.value)
        # verification off must be asked for, and then any key is taken
        with SftpTarget(
            "bank",
            password=PASSWORD,
            known_hosts=unknown,
            verify_host_key=False,
            **options,  # type: ignore[arg-type]
        ) as target:
            assert "host key NOT verified" in target.test()


def test_sftp_logs_in_with_a_key_file(tmp_path: Path) -> None:
    root = tmp_path / "served"
    root.mkdir()
    key = tmp_path / "id_ed25519"
    with sftp_server(root, user=USER, password=PASSWORD, client_key=key) as server:
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text(server.known_hosts_line(), encoding="ascii")
        with SftpTarget(
            "bank",
            host=LOOPBACK,
            port=server.port,
            user=USER,
            folder="/",
            key_file=key,
            known_hosts=known_hosts,
        ) as target:
            assert "host key verified, writable" in target.test()


def test_ftps_verifies_the_certificate(tmp_path: Path) -> None:
    root = tmp_path / "served"
    root.mkdir()
    cert, key = tls_certificate(tmp_path)
    with ftp_server(root, user=USER, password=PASSWORD, tls=(cert, key)) as port:
        with (
            pytest.raises(DeliveryError, match="TLS failed: CERTIFICATE_VERIFY_FAILED"),
            FtpTarget(
                "f", host=LOOPBACK, port=port, user=USER, folder="/", password=PASSWORD, tls=True
            ),
        ):
            pass
        with (
            pytest.raises(DeliveryError, match="login refused"),
            FtpTarget(
                "f",
                host=LOOPBACK,
                port=port,
                user=USER,
                folder="/",
                password="nope",
                tls=True,
                ca_file=cert,
            ),
        ):
            pass


def test_a_server_that_is_not_there(tmp_path: Path) -> None:
    from tests.servers import free_port

    port = free_port()
    with (
        pytest.raises(DeliveryError, match="cannot connect"),
        FtpTarget("f", host=LOOPBACK, port=port, user=USER, folder="/", password="x", timeout=5),
    ):
        pass
