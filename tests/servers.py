"""Real servers on 127.0.0.1 for the shell's tests: SFTP (asyncssh), FTP/FTPS (pyftpdlib),
SMTP with STARTTLS or TLS (aiosmtpd), and an HTTP listener for webhooks.

Each is a context manager that starts the server in a background thread on a free
loopback port and stops it on exit. TLS uses a self-signed certificate for 127.0.0.1
made by :func:`tls_certificate`, which clients trust through ``ca_file``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import ipaddress
import json
import logging
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import asyncssh
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer

LOOPBACK = "127.0.0.1"
#: The login of the PostgreSQL test server.
POSTGRES_USER = "paymatch"
POSTGRES_PASSWORD = "pg-secret-Kd93-ww"

logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's chatter about test setups


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def tls_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1 (cert.pem, key.pem) in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Loop:
    """An asyncio loop in a daemon thread, for the asyncio servers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class SftpServer:
    """What a running SFTP test server offers: its port, known_hosts line and login."""

    def __init__(self, port: int, host_key: asyncssh.SSHKey, user: str, password: str) -> None:
        self.port = port
        self.host_key = host_key
        self.user = user
        self.password = password

    def known_hosts_line(self) -> str:
        """The line of an OpenSSH known_hosts file for this server."""
        public = self.host_key.export_public_key("openssh").decode("ascii").split()
        return f"[{LOOPBACK}]:{self.port} {public[0]} {public[1]}\n"


@contextmanager
def sftp_server(
    root: Path, *, user: str, password: str, client_key: Path | None = None
) -> Iterator[SftpServer]:
    """An SFTP server on 127.0.0.1 whose file system is ``root`` (chroot).

    It accepts ``user`` with ``password``, and with the key whose private half is in
    ``client_key`` (its public half is written next to it).
    """
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    authorized = None
    if client_key is not None:
        key = asyncssh.generate_private_key("ssh-ed25519")
        key.write_private_key(str(client_key))
        authorized = asyncssh.import_authorized_keys(key.export_public_key("openssh").decode())

    connections: list[asyncssh.SSHServerConnection] = []

    class Server(asyncssh.SSHServer):
        def connection_made(self, connection: asyncssh.SSHServerConnection) -> None:
            connections.append(connection)

        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, given: str) -> bool:
            return username == user and given == password

    def sftp(channel: asyncssh.SSHServerChannel[bytes]) -> asyncssh.SFTPServer:
        return asyncssh.SFTPServer(channel, chroot=str(root).encode())

    runner = _Loop()

    async def start() -> asyncssh.SSHAcceptor:
        return await asyncssh.listen(
            LOOPBACK,
            0,
            server_host_keys=[host_key],
            server_factory=Server,
            sftp_factory=sftp,
            authorized_client_keys=authorized,
            allow_scp=False,
        )

    acceptor = runner.call(start())
    port = acceptor.sockets[0].getsockname()[1]
    try:
        yield SftpServer(port, host_key, user, password)
    finally:

        async def stop() -> None:
            acceptor.close()
            await acceptor.wait_closed()
            for connection in connections:  # also those a client dropped (a refused host key)
                connection.abort()
                await connection.wait_closed()
            await asyncio.sleep(0.05)  # let the transports' close callbacks run

        runner.call(stop())
        runner.close()


@contextmanager
def ftp_server(
    root: Path, *, user: str, password: str, tls: tuple[Path, Path] | None = None
) -> Iterator[int]:
    """An FTP server on 127.0.0.1 serving ``root``; with ``tls`` (cert, key) FTPS only."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, str(root), perm="elradfmwMT")
    handler: type[FTPHandler]
    if tls is None:
        handler = type("Handler", (FTPHandler,), {})
    else:
        handler = type("Handler", (TLS_FTPHandler,), {})
        handler.certfile = str(tls[0])  # type: ignore[attr-defined]
        handler.keyfile = str(tls[1])  # type: ignore[attr-defined]
        handler.tls_control_required = True  # type: ignore[attr-defined]
        handler.tls_data_required = True  # type: ignore[attr-defined]
    handler.authorizer = authorizer
    handler.masquerade_address = LOOPBACK
    server = FTPServer((LOOPBACK, 0), handler)
    server.max_cons = 16
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"timeout": 0.05, "blocking": True}, daemon=True
    )
    thread.start()
    try:
        yield int(server.address[1])
    finally:
        server.close_all()
        thread.join(timeout=10)


class SmtpServer:
    """A running SMTP test server: its port and the messages it received."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[Message] = []
        self.logins: list[tuple[str, str]] = []


@contextmanager
def smtp_server(
    *, tls: tuple[Path, Path], implicit_tls: bool = False, user: str, password: str
) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 with STARTTLS required (or implicit TLS) and login."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(tls[0]), str(tls[1]))
    port = free_port()
    server = SmtpServer(port)

    class Handler:
        async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
            server.messages.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    def authenticate(
        smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = (data.login.decode(), data.password.decode())
            server.logins.append(login)
            # handled=False: aiosmtpd answers a refusal with 535 itself
            return AuthResult(success=login == (user, password), handled=False)
        return AuthResult(success=False, handled=False)

    options: dict[str, Any] = {
        "hostname": LOOPBACK,
        "port": port,
        "authenticator": authenticate,
        "auth_required": True,
        "server_hostname": LOOPBACK,
    }
    if implicit_tls:
        options["ssl_context"] = context
        options["auth_require_tls"] = False  # AUTH is only offered this way on implicit TLS
    else:
        options["tls_context"] = context
        options["require_starttls"] = True
    controller = Controller(Handler(), **options)
    if implicit_tls:
        # aiosmtpd's readiness probe wraps its socket with the server's own context; probe as
        # a client that trusts the test certificate instead.
        client = ssl.create_default_context(cafile=str(tls[0]))

        def probe() -> None:
            with (
                socket.create_connection((LOOPBACK, port), 1.0) as raw,
                client.wrap_socket(raw, server_hostname=LOOPBACK) as wrapped,
            ):
                wrapped.recv(1024)

        controller._trigger_server = probe  # type: ignore[method-assign]
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that records the JSON bodies POSTed to it."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[dict[str, Any]] = []
        self.authorizations: list[str | None] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.received.append(json.loads(self.rfile.read(length)))
                receiver.authorizations.append(self.headers.get("Authorization"))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}/paid"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def _postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them out of PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def postgres_missing() -> str | None:
    """Why no PostgreSQL server can be started here, or None when one can."""
    if _postgres_bin() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to start PostgreSQL as another user"
    return None


@contextmanager
def postgresql_server(*, user: str, password: str) -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 in a temporary folder; yields its URL without password.

    Logins need ``password`` (scram-sha-256). As root the server runs as the ``postgres``
    user, as PostgreSQL refuses to run as root.
    """
    bindir = _postgres_bin()
    assert bindir is not None, postgres_missing()
    folder = Path(tempfile.mkdtemp(prefix="paymatch-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, socket_dir, secret = folder / "data", folder / "socket", folder / "password"

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    run("mkdir", str(socket_dir))
    run("sh", "-c", f"umask 077; printf '%s' \"$0\" > {secret}", password)
    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        user,
        f"--pwfile={secret}",
        "-A",
        "scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    port = free_port()
    options = f"-h {LOOPBACK} -p {port} -k {socket_dir} -F"
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(folder / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://{user}@{LOOPBACK}:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
