"""The one exception hierarchy of bilingual.

Every error the library raises on purpose is a :class:`BilingualError`. Its message
says what went wrong, where (file, line, term id, language pair) and how to fix it,
so the CLI can print it as is and exit 1 instead of showing a traceback.
"""

from __future__ import annotations


class BilingualError(Exception):
    """Base class: a handled error with a what / where / fix message."""

    exit_code: int = 1

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        head = f"{self.where}: {self.what}" if self.where else self.what
        return f"{head}\n  fix: {self.fix}" if self.fix else head

    def __str__(self) -> str:
        return self.message


class ConfigError(BilingualError):
    """A bad setting: an argument or a BILINGUAL_* environment variable."""


class InputError(BilingualError):
    """An input article cannot be read or is not an Arabic article."""


class GlossaryError(BilingualError):
    """The glossary folder is invalid; ``problems`` lists every problem found."""

    def __init__(
        self,
        what: str,
        *,
        where: str | None = None,
        fix: str | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        self.problems = problems
        super().__init__(what, where=where, fix=fix)


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
