"""Zip archives read with care: member names, sizes and compression ratios checked first."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How large one archive member may unpack to, and how much it may be compressed.

    Members are read into memory (police.uk street files) or onto disk (a zipped Shapefile),
    so a member's declared uncompressed size is checked before a byte of it is read. Python's
    ``zipfile`` stops at the declared size, so a member lying about it cannot exceed it.
    A police.uk street file of the largest force (the Met) is about 25 MB and compresses
    about 5 times; a zip bomb compresses thousands of times.
    """

    max_member_mb: int = 128
    max_ratio: int = 100

    def __post_init__(self) -> None:
        for name in ("max_member_mb", "max_ratio"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}")


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """Whether a member name would lead outside a folder it was unpacked into: an absolute
    name, a Windows drive, or a ``..`` part (with either kind of slash)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


def traversal_problem(archive: zipfile.ZipFile) -> str | None:
    """Why the archive is refused as a whole, when any member's name leads outside it.

    Such names never come from police.uk or ONS; an archive holding one was made by hand
    or to attack, so none of it is trusted (not even its harmless-looking members).
    """
    unsafe = [name for name in archive.namelist() if unsafe_name(name)]
    if not unsafe:
        return None
    listed = ", ".join(repr(name) for name in unsafe[:3])
    more = f" and {len(unsafe) - 3} more" if len(unsafe) > 3 else ""
    return (
        f"the archive holds member names leading outside it ({listed}{more}); "
        "refused: unpack it yourself and give the files"
    )


def member_problem(info: zipfile.ZipInfo, *, limits: ArchiveLimits) -> str | None:
    """Why one member is not read: it unpacks to more than ``limits.max_member_mb``, or it
    is compressed more than ``limits.max_ratio`` times (an empty member never is)."""
    if info.file_size > limits.max_member_mb * _MB:
        return (
            f"member {info.filename!r} unpacks to {info.file_size / _MB:,.0f} MB, more than "
            f"the {limits.max_member_mb} MB allowed for one archive member"
        )
    if info.file_size > limits.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return (
            f"member {info.filename!r} is compressed {ratio:,.0f} times, more than the "
            f"{limits.max_ratio} times allowed for one archive member (a zip bomb?)"
        )
    return None


DEFAULT_LIMITS = ArchiveLimits()
"""The limits used when none are given: the settings' defaults."""
