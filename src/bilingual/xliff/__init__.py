"""XLIFF 2.1 exchange for briefings: :func:`export_xliff` and :func:`read_xliff`.

Export writes, for one briefing JSON, an OASIS XLIFF 2.1 document per target language
(``NAME.xlf``; ``NAME.en.xlf`` and ``NAME.vi.xlf`` when there are several, as an XLIFF
document has one ``trgLang``), for CAT tools such as Trados, memoQ and OmegaT:

* one ``<file>`` per article, ``original`` the briefing JSON it came from, with
  ``canResegment="no"``: the ids are bilingual's, so a tool must not split or join;
* one ``<unit>`` per paragraph (``p3``) and per caption (``c1``), one ``<segment>`` per
  sentence with bilingual's id (``p3.s2``; a caption's is ``c1``);
* ``state`` from the memory status of the rendering: machine ``translated``, reviewed
  ``reviewed``, approved ``final``; no rendering ``initial`` (and no ``<target>``);
* glossary terms as ``<mrk type="term">`` around the term in source and target, with
  the Glossary module's ``<gls:glossEntry>`` (term and prescribed rendering) per unit;
* the model's confidence in a machine target as ITS 2.0 MT Confidence (the ITS module):
  ``<mrk type="its:any" its:mtConfidence="0.83" its:annotatorsRef="mt-confidence|...">``
  around the target's text, ``exp`` of the mean log-probability per token;
* QA findings as ``<note category="bilingual-qa">``, reviewers' notes as
  ``bilingual-review``, each starting with the segment id (a note belongs to a unit);
* the article and signature in the Metadata module (``mda``), and per unit a
  fingerprint of each segment's source and target and its state as exported.

Import reads a translated or reviewed XLIFF back by segment id against the briefing
JSON it names (there, by article name beside the XLIFF, or in the folders given): a
target that differs from the exported one is a correction (a reviewed unit; ``final``:
approved), a target left as it was but raised to ``reviewed`` or ``final`` is a
confirmation. The fingerprints keep a later run from being mistaken for an edit: an
untouched target is no change even if the briefing was translated again since, a source
edited in the CAT tool is reported and the briefing's stored, and a segment whose source
the briefing no longer has is unmappable. The
result is the DOCX review import's :class:`~bilingual.review.Review`, so both give one
report and are stored by :func:`~bilingual.review.store_reviews`.

The parser never loads a DTD, resolves no entity and opens no network connection; a
file that declares a DTD at all is refused (no XXE, no entity expansion).
"""

from __future__ import annotations

from bilingual.xliff.read import read_xliff
from bilingual.xliff.write import NS, VERSION, export_xliff, xliff_document, xliff_paths

__all__ = ["NS", "VERSION", "export_xliff", "read_xliff", "xliff_document", "xliff_paths"]
