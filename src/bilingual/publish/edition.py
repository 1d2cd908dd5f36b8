"""The reader's edition: what ``publish`` renders, one article's reviewed text and its
colophon, with nothing that is only for the reviewer (no numbers, marks or comments).

These frozen dataclasses are the one interface between gathering (briefing JSON, memory,
gate) and the renderers (DOCX, PDF, HTML): a renderer reads nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["machine", "reviewed", "approved"]
Layout = Literal["target", "side-by-side"]
LAYOUTS: tuple[Layout, ...] = ("target", "side-by-side")

MACHINE_MARK = "\u25c7"
"""Put before each sentence nobody reviewed (``--allow-unreviewed`` only)."""
MACHINE_LEGEND = (
    f"{MACHINE_MARK} marks a sentence translated by machine that no reviewer has checked."
)


@dataclass(frozen=True)
class PublishedSentence:
    id: str
    """The briefing's sentence id: ``s3`` (a sentence) or ``c1`` (a caption)."""
    source: str
    """The sentence in the article's language."""
    text: str
    """The translation the reader gets: the latest reviewed or approved one, else the
    machine's (only when ``--allow-unreviewed`` let it through)."""
    status: Status

    @property
    def machine(self) -> bool:
        return self.status == "machine"


@dataclass(frozen=True)
class PublishedParagraph:
    kind: Literal["body", "caption"]
    sentences: tuple[PublishedSentence, ...]
    credit: str | None = None
    """A caption's credit line, as the article printed it (untranslated)."""


@dataclass(frozen=True)
class Reviewer:
    name: str
    last_at: str
    """ISO 8601 date-time of their latest review or approval in this article."""
    sentences: int
    """How many of the article's sentences show their text."""


@dataclass(frozen=True)
class Colophon:
    tool_version: str
    signature: str
    """The run's reproducibility signature (models, glossary, options)."""
    glossary: str
    """The glossary's signature ('' when the run had none)."""
    licences: tuple[str, ...]
    """One line per model: name, licence and the attribution it asks for."""
    reviewers: tuple[Reviewer, ...]
    test_model_notice: str | None = None
    """Set whenever a test model made any of the text: every edition shows it."""


@dataclass(frozen=True)
class Edition:
    """One article for the reader, in one target language."""

    article: str
    """The article's name (its file stem), unique in a digest."""
    source_lang: str
    target_lang: str
    title: str
    """The title in the target language."""
    source_title: str
    """The title in the article's language."""
    source: str | None
    """Where the article came from (its URL or source line), if known."""
    date: str
    """ISO 8601 date-time of the run that translated it."""
    paragraphs: tuple[PublishedParagraph, ...]
    """Body paragraphs and captions, in the article's order."""
    colophon: Colophon

    def sentences(self) -> list[PublishedSentence]:
        """Every sentence and caption, in reading order."""
        return [s for p in self.paragraphs for s in p.sentences]

    @property
    def unreviewed(self) -> int:
        return sum(1 for s in self.sentences() if s.machine)


@dataclass(frozen=True)
class Publication:
    """What one file holds: a single article's edition, or the day's digest."""

    editions: tuple[Edition, ...]
    layout: Layout = "target"
    digest: str | None = None
    """The digest's name (``--digest``); None for a single article's edition."""
    desk: str = ""
    """The desk's name (``desk`` in bilingual.toml), on the digest's cover."""
    date: str = ""
    """The digest's date (ISO 8601 day)."""

    @property
    def target_lang(self) -> str:
        return self.editions[0].target_lang

    @property
    def has_machine_text(self) -> bool:
        return any(e.unreviewed for e in self.editions)


@dataclass(frozen=True)
class Block:
    """A paragraph or table cell of a written edition, as read back from the file
    (DOCX XML, the PDF's text, the HTML's DOM): what ``publish.check`` verifies."""

    text: str
    lang: str | None = None
    """The language the file declares for it (``w:lang``, ``lang=``), if it says."""
    rtl: bool | None = None
    """Whether the file lays it out right to left, if it says."""
    kind: str = "text"
    """What it is in the file: ``text``, ``heading``, ``cell``, ``caption``, ... (free)."""
