"""Files written all at once: a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from successkit.errors import ValidationError

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str, *, name: str = "--output") -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it.

    A reader never sees half a file, and a failed run leaves the old file as it was.

    Args:
        path: the file to write.
        text: its whole content (written as UTF-8, newlines as given).
        name: how errors name the destination (an option, an argument).

    Raises:
        ValidationError: the folder does not exist or cannot be written.
    """
    target = Path(path)
    shown = str(path)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise ValidationError(name, shown, "a file in an existing folder")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise ValidationError(name, shown, f"a writable file ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).replace(target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ValidationError(name, shown, f"a writable file ({error.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
