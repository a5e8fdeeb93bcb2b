"""Delivery targets: a local folder, SFTP, FTP and FTPS; see :mod:`.base` for what they do."""

from __future__ import annotations

from paymatch.shell.config import AutomationConfig, TargetKind, TargetSettings
from paymatch.shell.targets.base import PROBE_NAME, Target
from paymatch.shell.targets.folder import FolderTarget
from paymatch.shell.targets.ftp import FtpTarget
from paymatch.shell.targets.sftp import SftpTarget

__all__ = ["PROBE_NAME", "FolderTarget", "FtpTarget", "SftpTarget", "Target", "open_target"]


def open_target(name: str, config: AutomationConfig) -> Target:
    """The target ``name`` of the configuration, its secrets read; enter it to connect."""
    settings: TargetSettings = config.targets[name]
    owner = f"target {name!r} password"
    password = None if settings.password is None else settings.password.reveal(owner)
    if settings.kind is TargetKind.FOLDER:
        return FolderTarget(name, config.path(settings.path))
    assert settings.host is not None  # checked with the configuration
    if settings.kind is TargetKind.SFTP:
        return SftpTarget(
            name,
            host=settings.host,
            port=settings.effective_port,
            user=settings.user,
            folder=settings.path,
            password=password,
            key_file=None if settings.key_file is None else config.path(settings.key_file),
            known_hosts=None if settings.known_hosts is None else config.path(settings.known_hosts),
            verify_host_key=settings.verify_host_key,
            timeout=settings.timeout,
        )
    return FtpTarget(
        name,
        host=settings.host,
        port=settings.effective_port,
        user=settings.user,
        folder=settings.path,
        password=password,
        tls=settings.kind is TargetKind.FTPS,
        ca_file=None if settings.ca_file is None else config.path(settings.ca_file),
        timeout=settings.timeout,
    )
