"""The gate a provider's logo and a solution's screenshots pass before they are stored.

An image is taken for what its content is, not for what its name says: ``filetype``
reads its type from its first bytes, and the name must agree. Its width and height are
read from its header (PNG's IHDR, JPEG's frame header, WebP's VP8/VP8L/VP8X chunk), so a
small file that would unpack into a picture of a billion pixels in the viewer's browser is
refused. Nothing on the server ever decodes the pixels, which is why the platform needs
no image library; the file is read in chunks to look for markup hidden behind the picture.

Every refusal is an :class:`icc.core.uploads.UploadRefused` that says what is wrong and
what to do instead; a refused file is never stored.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

import filetype
from django.utils.translation import gettext as _

from icc.core.uploads import MB, UploadRefused, check_size

# What is accepted: the type read from the content, and the names it may carry.
TYPES = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/webp": ("webp",),
}
EXTENSIONS = {extension: mime for mime, names in TYPES.items() for extension in names}
NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP"}
SHOWN_TYPES = ", ".join(NAMES.values())
HEAD = 64 * 1024
MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg|\?php)[\s>/]", re.IGNORECASE)


@dataclass(frozen=True)
class ImageRules:
    """What one kind of image may weigh and measure."""

    max_bytes: int
    max_side: int
    min_side: int = 16


LOGO = ImageRules(max_bytes=1 * MB, max_side=2_000)
SCREENSHOT = ImageRules(max_bytes=3 * MB, max_side=4_000)


@dataclass(frozen=True)
class ImageFacts:
    content_type: str
    extension: str
    width: int
    height: int
    size: int


def check_image(upload: Any, rules: ImageRules) -> ImageFacts:
    """Refuse an image that is too heavy, not what its name says, too large or with markup in it."""
    check_size(upload.size, rules.max_bytes)
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise UploadRefused(
            _("Upload an image of one of these types: %(types)s.") % {"types": SHOWN_TYPES}, code="type"
        )
    file: IO[bytes] = upload.file if hasattr(upload, "file") else upload
    try:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        check_size(size, rules.max_bytes)
        file.seek(0)
        head = file.read(HEAD)
        mime = _content_type(head)
        if mime is None:
            raise UploadRefused(
                _("The file is named .%(extension)s but its content is not an image of the types accepted (%(types)s).")
                % {"extension": extension, "types": SHOWN_TYPES},
                code="content",
            )
        if EXTENSIONS[extension] != mime:
            raise UploadRefused(
                _(
                    "The file is named .%(extension)s but holds a %(kind)s image: give it the right name and upload it again."
                )
                % {"extension": extension, "kind": NAMES[mime]},
                code="disguised",
            )
        width, height = _dimensions(mime, head, file)
        _check_sides(width, height, rules)
        _check_no_markup(file)
    finally:
        file.seek(0)
    return ImageFacts(content_type=mime, extension=TYPES[mime][0], width=width, height=height, size=size)


def _content_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is None or kind.mime not in TYPES:
        return None
    return str(kind.mime)


def _unreadable() -> UploadRefused:
    return UploadRefused(
        _("The image's header is damaged, so its size cannot be read. Save it again and upload that."), code="header"
    )


def _dimensions(mime: str, head: bytes, file: IO[bytes]) -> tuple[int, int]:
    if mime == "image/png":
        return png_size(head)
    if mime == "image/webp":
        return webp_size(head)
    return jpeg_size(file)


def png_size(head: bytes) -> tuple[int, int]:
    # The signature, then the IHDR chunk first: length 13, "IHDR", width, height.
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise _unreadable()
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def webp_size(head: bytes) -> tuple[int, int]:
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        raise _unreadable()
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    raise _unreadable()


# JPEG markers that carry no length, and the frame headers that carry the size.
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_FRAMES = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}


def jpeg_size(file: IO[bytes]) -> tuple[int, int]:
    """The size in the first frame header, walking the segments from the start of the file."""
    file.seek(2)
    for _segment in range(10_000):
        prefix = file.read(2)
        while prefix[:1] == b"\xff" and prefix[1:2] == b"\xff":  # fill bytes before a marker
            prefix = prefix[1:] + file.read(1)
        if len(prefix) < 2 or prefix[0] != 0xFF:
            break
        marker = prefix[1]
        if marker in _STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # the end, or the image data before any frame header
            break
        length_bytes = file.read(2)
        if len(length_bytes) < 2:
            break
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            break
        if marker in _FRAMES:
            frame = file.read(5)
            if len(frame) < 5:
                break
            height, width = struct.unpack(">HH", frame[1:5])
            return int(width), int(height)
        file.seek(length - 2, io.SEEK_CUR)
    raise _unreadable()


def _check_sides(width: int, height: int, rules: ImageRules) -> None:
    if min(width, height) < rules.min_side:
        raise UploadRefused(
            _("The image is %(width)s × %(height)s pixels; it needs at least %(least)s pixels a side.")
            % {"width": width, "height": height, "least": rules.min_side},
            code="too_small",
        )
    if max(width, height) > rules.max_side:
        raise UploadRefused(
            _(
                "The image is %(width)s × %(height)s pixels; at most %(most)s pixels a side are accepted. "
                "Make it smaller and upload it again."
            )
            % {"width": width, "height": height, "most": rules.max_side},
            code="too_wide",
        )


def _check_no_markup(file: IO[bytes]) -> None:
    file.seek(0)
    overlap = b""
    while chunk := file.read(MB):
        if MARKUP.search(overlap + chunk):
            raise UploadRefused(
                _("The file holds a web page or a script besides the picture. Save the image again and upload that."),
                code="markup",
            )
        overlap = chunk[-64:]
