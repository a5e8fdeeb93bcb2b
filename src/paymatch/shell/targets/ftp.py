"""An FTP or FTPS (explicit TLS, ``AUTH TLS``) folder as a target (stdlib ftplib).

FTPS verifies the server's certificate and host name (``ca_file`` for a private CA)
and protects the data connections too (``PROT P``). Plain FTP sends the password in
clear over the network; use it only inside a trusted network.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import posixpath
import ssl
from pathlib import Path

from paymatch.errors import DeliveryError
from paymatch.shell.targets.base import ServerFolder, matching, part_name

__all__ = ["FtpTarget"]

_FAILURES = (ftplib.Error, OSError, EOFError)


class FtpTarget(ServerFolder):
    """Files in ``folder`` on an FTP server; ``tls`` for FTPS. Connects when entered."""

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        user: str | None,
        folder: str,
        password: str | None = None,
        tls: bool = False,
        ca_file: Path | None = None,
        timeout: float = 30,
    ) -> None:
        super().__init__(
            name,
            host=host,
            port=port,
            user=user,
            folder=folder,
            password=password,
            timeout=timeout,
        )
        self.tls = tls
        self.scheme = "ftps" if tls else "ftp"
        self._ca_file = ca_file
        self._ftp: ftplib.FTP | None = None

    def __enter__(self) -> FtpTarget:
        ftp: ftplib.FTP
        if self.tls:
            context = ssl.create_default_context(
                cafile=None if self._ca_file is None else str(self._ca_file)
            )
            ftp = ftplib.FTP_TLS(context=context, timeout=self._timeout)
        else:
            ftp = ftplib.FTP(timeout=self._timeout)
        try:
            ftp.connect(self.host, self.port)
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.auth()
                ftp.login(self.user or "anonymous", self._password or "")
                ftp.prot_p()
            else:
                ftp.login(self.user or "anonymous", self._password or "")
        except ftplib.error_perm as error:
            ftp.close()
            raise DeliveryError(f"{self._where()}: login refused: {error}") from None
        except ssl.SSLError as error:
            ftp.close()
            raise DeliveryError(f"{self._where()}: TLS failed: {error.reason or error}") from None
        except _FAILURES as error:
            ftp.close()
            raise DeliveryError(f"{self._where()}: cannot connect: {error}") from None
        self._ftp = ftp
        return self

    def close(self) -> None:
        """Say goodbye to the server (or just drop the connection if it is gone)."""
        if self._ftp is None:
            return
        try:
            self._ftp.quit()
        except _FAILURES:
            self._ftp.close()
        self._ftp = None

    @property
    def _session(self) -> ftplib.FTP:
        if self._ftp is None:
            raise self._not_connected()
        return self._ftp

    def _fail(self, what: str, error: BaseException) -> DeliveryError:
        return DeliveryError(f"{self._where()}: {what}: {error}")

    def list(self, pattern: str) -> list[str]:
        """The matching files in the folder (by MLSD where the server has it, else NLST)."""
        session = self._session
        try:
            try:
                names = [
                    name
                    for name, facts in session.mlsd(self.folder, facts=["type"])
                    if facts.get("type") == "file"
                ]
            except ftplib.error_perm:
                names = [posixpath.basename(path) for path in session.nlst(self.folder)]
        except _FAILURES as error:
            raise self._fail("cannot list the folder", error) from None
        return matching(names, pattern)

    def read(self, name: str) -> bytes:
        """The file's bytes (binary transfer)."""
        buffer = io.BytesIO()
        try:
            self._session.retrbinary(f"RETR {self._absolute(name)}", buffer.write)
        except _FAILURES as error:
            raise self._fail(f"cannot read {name}", error) from None
        return buffer.getvalue()

    def move(self, name: str, folder: str) -> None:
        """Rename the file into the sub-folder, made if missing."""
        session = self._session
        target = self._absolute(folder)
        try:
            with contextlib.suppress(ftplib.error_perm):  # it exists, or the rename says why
                session.mkd(target)
            self._replace(self._absolute(name), posixpath.join(target, name))
        except _FAILURES as error:
            raise self._fail(f"cannot move {name} into {folder}", error) from None

    def upload(self, name: str, data: bytes) -> None:
        """Store under the temporary name, then rename over ``name``."""
        temporary = self._absolute(part_name(name))
        try:
            self._session.storbinary(f"STOR {temporary}", io.BytesIO(data))
            self._replace(temporary, self._absolute(name))
        except _FAILURES as error:
            raise self._fail(f"cannot upload {name}", error) from None

    def _replace(self, source: str, destination: str) -> None:
        """Rename over ``destination``; servers that refuse to overwrite get a delete first."""
        session = self._session
        try:
            session.rename(source, destination)
        except ftplib.error_perm:
            session.delete(destination)
            session.rename(source, destination)

    def _remove(self, name: str) -> None:
        try:
            self._session.delete(self._absolute(name))
        except _FAILURES as error:
            raise self._fail(f"cannot remove {name}", error) from None

    def _checked(self) -> str:
        return "TLS certificate verified" if self.tls else "no TLS: password sent in clear"
