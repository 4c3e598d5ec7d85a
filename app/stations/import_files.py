"""Reading uploaded or local import files: names for messages, UTF-8 text and CSV rows with line numbers."""
import csv
import io
from pathlib import Path

# Enough to fix a file in one go without flooding a page or a terminal.
MAX_ERRORS = 50


class ImportFailed(Exception):
    """A file that cannot be imported; each message names the file and the line or feature."""

    def __init__(self, messages):
        self.messages = list(messages)[:MAX_ERRORS]
        super().__init__("; ".join(self.messages))


def source_name(source):
    """Return the file name to use in messages: a path's name or an upload's filename."""
    if source is None:
        return ""
    if isinstance(source, (str, Path)):
        return Path(source).name
    return Path(getattr(source, "filename", None) or getattr(source, "name", None) or "upload").name


def read_bytes(source):
    """Return the content of a path or of a file-like object (an upload)."""
    name = source_name(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ImportFailed([f"{name}: cannot read the file ({error.strerror or error})"]) from error


def read_text(source):
    """Return the content as text; UTF-8 with or without a byte-order mark (as Excel saves it)."""
    try:
        return read_bytes(source).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed([f"{source_name(source)}: not UTF-8 text (byte {error.start}); "
                            "save the file as UTF-8"]) from error


def read_csv(source, required):
    """Return [(line number, row dict with stripped values)], checking the required columns first."""
    name = source_name(source)
    reader = csv.DictReader(io.StringIO(read_text(source), newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        if not header:
            raise ImportFailed([f"{name}: the file is empty; expected columns {', '.join(required)}"])
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFailed([f"{name} line 1: missing column(s) {', '.join(missing)} "
                                f"(found {', '.join(header)})"])
        rows, errors = [], []
        for row in reader:
            line = reader.line_num
            if None in row:
                errors.append(f"{name} line {line}: more fields than the header has columns")
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if any(values.values()):
                rows.append((line, values))
    except csv.Error as error:
        raise ImportFailed([f"{name} line {reader.line_num}: unreadable CSV ({error})"]) from error
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([f"{name}: no data rows after the header"])
    return rows
