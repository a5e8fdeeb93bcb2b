"""An SFTP folder as a target (paramiko), the server's host key verified by default.

The host key must be in ``known_hosts`` (default ``~/.ssh/known_hosts``): an unknown
or changed key refuses the connection, as OpenSSH does. Only an explicit
``verify_host_key = false`` accepts any key. Login by key file or password; SSH
agents and default keys are not tried, so what the job file says is what is used.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import stat
from pathlib import Path

import paramiko

from paymatch.errors import DeliveryError
from paymatch.shell.targets.base import ServerFolder, matching, part_name

__all__ = ["SftpTarget"]


class SftpTarget(ServerFolder):
    """Files in ``folder`` on an SFTP server; connects when entered."""

    scheme = "sftp"

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        user: str | None,
        folder: str,
        password: str | None = None,
        key_file: Path | None = None,
        known_hosts: Path | None = None,
        verify_host_key: bool = True,
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
        self._key_file = key_file
        self._known_hosts = known_hosts or Path("~/.ssh/known_hosts").expanduser()
        self._verify = verify_host_key
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None

    def __enter__(self) -> SftpTarget:
        client = paramiko.SSHClient()
        if self._verify:
            try:
                client.load_host_keys(str(self._known_hosts))
            except OSError as error:
                raise DeliveryError(
                    f"{self._where()}: cannot read known hosts {self._known_hosts}: "
                    f"{error.strerror or error}"
                ) from None
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        else:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            client.connect(
                self.host,
                port=self.port,
                username=self.user,
                password=self._password,
                key_filename=None if self._key_file is None else str(self._key_file),
                timeout=self._timeout,
                banner_timeout=self._timeout,
                auth_timeout=self._timeout,
                allow_agent=False,
                look_for_keys=False,
            )
            self._sftp = client.open_sftp()
            self._sftp.get_channel().settimeout(self._timeout)  # type: ignore[union-attr]
        except paramiko.BadHostKeyException:
            client.close()
            raise DeliveryError(
                f"{self._where()}: the server's host key differs from the one in "
                f"{self._known_hosts}: refused"
            ) from None
        except paramiko.SSHException as error:
            client.close()
            if "not found in known_hosts" in str(error):
                raise DeliveryError(
                    f"{self._where()}: the server's host key is not in {self._known_hosts}: "
                    "refused (check its fingerprint, then add it, e.g. with ssh-keyscan)"
                ) from None
            raise DeliveryError(f"{self._where()}: {_reason(error)}") from None
        except OSError as error:
            client.close()
            raise DeliveryError(f"{self._where()}: cannot connect: {error}") from None
        self._client = client
        return self

    def close(self) -> None:
        """Close the SFTP session and the SSH connection."""
        if self._sftp is not None:
            self._sftp.close()
            self._sftp = None
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def _session(self) -> paramiko.SFTPClient:
        if self._sftp is None:
            raise self._not_connected()
        return self._sftp

    def _fail(self, what: str, error: Exception) -> DeliveryError:
        return DeliveryError(f"{self._where()}: {what}: {_reason(error)}")

    def list(self, pattern: str) -> list[str]:
        """The matching regular files in the folder."""
        try:
            entries = self._session.listdir_attr(self.folder)
        except (TimeoutError, OSError, paramiko.SSHException) as error:
            raise self._fail("cannot list the folder", error) from None
        return matching(
            [e.filename for e in entries if e.st_mode is not None and stat.S_ISREG(e.st_mode)],
            pattern,
        )

    def read(self, name: str) -> bytes:
        """The file's bytes."""
        buffer = io.BytesIO()
        try:
            self._session.getfo(self._absolute(name), buffer)
        except (TimeoutError, OSError, paramiko.SSHException) as error:
            raise self._fail(f"cannot read {name}", error) from None
        return buffer.getvalue()

    def move(self, name: str, folder: str) -> None:
        """Rename the file into the sub-folder, made if missing."""
        session = self._session
        target = self._absolute(folder)
        try:
            try:
                session.stat(target)
            except FileNotFoundError:
                session.mkdir(target)
            self._replace(self._absolute(name), posixpath.join(target, name))
        except (TimeoutError, OSError, paramiko.SSHException) as error:
            raise self._fail(f"cannot move {name} into {folder}", error) from None

    def upload(self, name: str, data: bytes) -> None:
        """Upload under the temporary name, then rename over ``name``."""
        temporary = self._absolute(part_name(name))
        try:
            self._session.putfo(io.BytesIO(data), temporary, file_size=len(data), confirm=True)
            self._replace(temporary, self._absolute(name))
        except (TimeoutError, OSError, paramiko.SSHException) as error:
            raise self._fail(f"cannot upload {name}", error) from None

    def _replace(self, source: str, destination: str) -> None:
        """Rename, replacing ``destination``: the POSIX rename extension where the server has it."""
        session = self._session
        try:
            session.posix_rename(source, destination)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                session.remove(destination)
            session.rename(source, destination)

    def _remove(self, name: str) -> None:
        try:
            self._session.remove(self._absolute(name))
        except (OSError, paramiko.SSHException) as error:
            raise self._fail(f"cannot remove {name}", error) from None

    def _checked(self) -> str:
        return "host key verified" if self._verify else "host key NOT verified"


def _reason(error: Exception) -> str:
    """What went wrong, without paramiko's class names where a plain sentence says it."""
    if isinstance(error, paramiko.AuthenticationException):
        return "login refused (user, password or key wrong)"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    return str(error) or type(error).__name__
