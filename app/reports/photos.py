"""Photo checks and processing with Pillow: orientation, metadata-free public copy, thumbnail, EXIF GPS."""
import hashlib
import io
import math
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
PUBLIC_MAX_PX = 1600
THUMB_MAX_PX = 320
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_COUNT = 5
# Pillow's own bomb guard is a warning until 2x its limit; we refuse at the limit.
MAX_PIXELS = 60_000_000


class PhotoError(ValueError):
    """A file that cannot be accepted as a report photo; str() is a message for the member."""


@dataclass
class ProcessedPhoto:
    original: bytes
    original_format: str
    sha256: str
    public_jpeg: bytes
    thumb_jpeg: bytes
    width: int
    height: int
    gps: tuple | None  # (lat, lon) from EXIF, or None


def photo_limits():
    """Return (max files, max bytes per file) from config."""
    return (current_app.config.get("PHOTO_MAX_COUNT", DEFAULT_MAX_COUNT),
            current_app.config.get("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_upload(storage, max_bytes):
    """Return an uploaded file's bytes, refusing files over max_bytes without reading them whole."""
    data = storage.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoError(_l("%(name)s is larger than %(size)s.", name=_name(storage), size=_size_text(max_bytes)))
    if not data:
        raise PhotoError(_l("%(name)s is empty.", name=_name(storage)))
    return data


def _size_text(size):
    return f"{size / 2**20:g} MB" if size >= 2**20 else f"{max(1, size // 1024)} KB"


def _name(storage):
    return (storage.filename or "").rsplit("/", 1)[-1][:80] or str(_l("The photo"))


def _open_checked(data, name):
    """Open and fully decode an image, so renamed and truncated files are refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoError(_l("%(name)s is not a JPEG, PNG or WebP photo.", name=name))
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(_l("%(name)s has too many pixels.", name=name))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_l("%(name)s is not a photo we can read. Please choose a JPEG, PNG or WebP image.",
                            name=name)) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(_l("%(name)s is damaged or incomplete. Please take or choose it again.",
                            name=name)) from None
    return image


def process_photo(data, name="photo"):
    """Check one uploaded photo and return its sealed-original bytes, public copy and thumbnail."""
    image = _open_checked(data, name)
    gps = gps_from_exif(image)
    upright = ImageOps.exif_transpose(image)
    public = _jpeg(upright, PUBLIC_MAX_PX)
    thumb = _jpeg(upright, THUMB_MAX_PX)
    with Image.open(io.BytesIO(public)) as check:
        width, height = check.size
    return ProcessedPhoto(original=data, original_format=image.format, sha256=hashlib.sha256(data).hexdigest(),
                          public_jpeg=public, thumb_jpeg=thumb, width=width, height=height, gps=gps)


def _jpeg(image, max_px):
    """Re-encode as a JPEG no larger than max_px; re-encoding drops EXIF, GPS, XMP and ICC data."""
    copy = image.copy()
    if copy.mode not in ("RGB", "L"):
        background = Image.new("RGB", copy.size, "white")
        rgba = copy.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        copy = background
    copy.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def gps_from_exif(image):
    """Return (lat, lon) from an image's EXIF GPS block, or None when absent or unusable."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return None
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:  # cameras without a fix often write zeros
        return None
    return round(lat, 6), round(lon, 6)


def _degrees(dms, ref, negative_ref):
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    return -value if str(ref).strip().upper() == negative_ref else value


def gps_from_bytes(data):
    """Return (lat, lon) from the start of a photo file (headers suffice), or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return gps_from_exif(image)
    except Exception:  # noqa: BLE001 - any unreadable file simply has no location
        return None
