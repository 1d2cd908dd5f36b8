"""The one exception hierarchy of bilingual.

Every error the library raises on purpose is a :class:`BilingualError`. Its message
says what went wrong, where (file, line, term id, language pair) and how to fix it,
so the CLI can print it as is and exit 1 instead of showing a traceback.
"""

from __future__ import annotations

import re
import traceback

_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # an undecodable byte, as os.fsdecode keeps it
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` that any terminal, XML document, JSON or SQLite file can hold.

    A file name that is not valid UTF-8 reaches Python with each bad byte as a lone
    surrogate (``os.fsdecode``), which no UTF-8 writer accepts, and control characters
    are refused by XML and garble terminals. Each becomes a visible backslash escape:
    byte 0xE3 of a name is written ``\\xe3``, control character 0x1B ``\\x1b``. Tabs
    and newlines are kept; text with nothing to escape comes back unchanged.
    """
    return _UNPRINTABLE.sub(_escape, text)


def bug_report(exc: Exception, doing: str, where: str) -> tuple[str, str]:
    """The message and the printable traceback for a bug met while ``doing`` one thing
    of many (an article): that one fails with both shown, and the others go on."""
    error = BilingualError(
        f"unexpected error while {doing}: {type(exc).__name__}: {exc}",
        where=where,
        fix="this is a bug in bilingual, not a fault of the input: please report it with "
        "the traceback; the others are not affected",
    )
    return error.message, printable("".join(traceback.format_exception(exc)))


class BilingualError(Exception):
    """Base class: a handled error with a what / where / fix message."""

    exit_code: int = 1

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        # a message names files, and a file name may hold bytes no console can print
        self.what = printable(what)
        self.where = printable(where) if where is not None else None
        self.fix = printable(fix) if fix is not None else None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        head = f"{self.where}: {self.what}" if self.where else self.what
        return f"{head}\n  fix: {self.fix}" if self.fix else head

    def __str__(self) -> str:
        return self.message


class ConfigError(BilingualError):
    """A bad setting: an argument or a BILINGUAL_* environment variable."""


class RouteError(ConfigError):
    """A route, a target list or a model choice that cannot be read (``--route``, ``--to``,
    ``--model`` or what stands in for them): a usage error, reported against ``option``."""

    def __init__(
        self, what: str, *, option: str, where: str | None = None, fix: str | None = None
    ) -> None:
        self.option = option
        super().__init__(what, where=where, fix=fix)


class InputError(BilingualError):
    """An input article cannot be read or is not an Arabic article."""


class GlossaryError(BilingualError):
    """The glossary folder is invalid; ``problems`` lists every problem found.

    The message holds each problem once, on its own line under ``what`` (which does not
    repeat any), so whoever prints the message prints every problem exactly once.
    """

    def __init__(
        self,
        what: str,
        *,
        where: str | None = None,
        fix: str | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        self.problems = tuple(printable(p) for p in problems)
        super().__init__(what, where=where, fix=fix)

    @property
    def message(self) -> str:
        head = f"{self.where}: {self.what}" if self.where else self.what
        lines = [head + (":" if self.problems else ""), *(f"  {p}" for p in self.problems)]
        if self.fix:
            lines.append(f"  fix: {self.fix}")
        return "\n".join(lines)


class ModelError(BilingualError):
    """A translation model is missing, broken or cannot be installed."""


class ModelNotInstalledError(ModelError):
    """No installed package translates the requested language pair."""


class ModelInstallError(ModelError):
    """Installing a package failed; nothing was left half-installed."""


class BriefingReadError(BilingualError):
    """A briefing file (JSON or DOCX) cannot be read back: not one bilingual wrote, or damaged."""


class OutputError(BilingualError):
    """A briefing could not be written (folder not writable, a check refused the output)."""


class TranslationMemoryError(BilingualError):
    """The translation memory cannot be opened or written: not SQLite, damaged, too new,
    or busy; the file is never overwritten."""


class TmxError(BilingualError):
    """A TMX file is not valid TMX, or holds no language bilingual can use."""


class ReviewError(BilingualError):
    """A reviewed briefing cannot be imported: open in an editor, or its edits cannot be
    mapped back to sentences. The DOCX is left as it is."""


class ClusterError(BilingualError):
    """A Ray run cannot start or finish: Ray is not installed, the cluster cannot be
    reached, or its workers cannot load the model. Raised before any briefing is written."""


class XliffError(BilingualError):
    """An XLIFF file cannot be imported: not XLIFF 2, not well-formed, holding a DTD
    (never loaded: no external or expanding entities), for another language pair, or
    matching no segment of the briefing it claims to come from. Nothing is imported."""


class PublishError(BilingualError):
    """A reader's edition cannot be published: a briefing or its memory cannot be used,
    the gate refused an article, a renderer (LibreOffice) is missing, fails or runs past
    its time, or a written file failed its check. Nothing is written."""
