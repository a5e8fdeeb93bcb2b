"""Delivery targets: a local folder, SFTP, FTP and FTPS; see :mod:`.base` for what they do."""

from __future__ import annotations

from pathlib import Path

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
    server = {
        "host": settings.host,
        "port": settings.effective_port,
        "user": settings.user,
        "folder": settings.path,
        "password": password,
        "timeout": settings.timeout,
    }
    if settings.kind is TargetKind.SFTP:
        return SftpTarget(
            name,
            key_file=_path(config, settings.key_file),
            known_hosts=_path(config, settings.known_hosts),
            verify_host_key=settings.verify_host_key,
            **server,  # type: ignore[arg-type]
        )
    return FtpTarget(
        name,
        tls=settings.kind is TargetKind.FTPS,
        ca_file=_path(config, settings.ca_file),
        **server,  # type: ignore[arg-type]
    )


def _path(config: AutomationConfig, relative: str | None) -> Path | None:
    return None if relative is None else config.path(relative)
