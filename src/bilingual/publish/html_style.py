"""The HTML edition's one style sheet, inlined in every file (no external resource).

Kept apart from :mod:`bilingual.publish.html_out` so the markup builder stays short. The
rules assume the class names that module writes; the layout decisions are made here:

* Fonts are system fonts only (nothing is fetched): Noto and DejaVu are what Debian's
  ``fonts-noto-core`` and ``fonts-dejavu-core`` install (``.ci/run`` does), with
  generic fallbacks. Arabic gets a Naskh face, a larger size and more leading: at the
  Latin size its vowel marks and dots collide.
* Side by side, each paragraph is a two-column grid row: the translation in the first
  column (the left, where a reader of the translation starts a line), the Arabic in the
  second (the right, where an Arabic line starts). The DOM holds them in that same order,
  so what a screen reader reads matches what is seen. Below 40rem the columns stack.
* Right-to-left text is start-aligned, never justified: ``start`` is the right edge in
  an ``rtl`` element, and a justified last line would not be.
* Print: A4 margins by ``@page``; in a digest every article starts on a new page, a
  paragraph pair or a caption is not cut across pages, links print as plain text (paper
  cannot follow them), and the columns keep their grid.
"""

from __future__ import annotations

CSS = """
:root { color-scheme: light; }
html { font-size: 100%; }
body {
  margin: 0 auto; padding: 1rem 1.25rem; max-width: 46rem;
  font-family: "Noto Serif", "DejaVu Serif", "Liberation Serif", Georgia, serif;
  line-height: 1.55; color: #1a1a1a; background: #ffffff;
  overflow-wrap: break-word;
}
body.side-by-side { max-width: 76rem; }
:lang(ar) {
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", serif;
  font-size: 1.12em; line-height: 1.8;
}
:lang(ar) :lang(ar) { font-size: 1em; }
[dir="rtl"] { text-align: start; }
h1, h2, h3 { line-height: 1.25; font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.9rem; margin: 0.5rem 0; }
h2 { font-size: 1.5rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 0.4rem; }
a { color: #0b4f8a; }
code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 0.85em;
  overflow-wrap: anywhere; }
.notice {
  border: 2px solid #8a5a00; background: #fff4d6; color: #3d2800;
  padding: 0.6rem 0.9rem; font-weight: bold; margin: 0.75rem 0;
}
.legend { border-left: 4px solid #5a5a5a; padding: 0.3rem 0.8rem; color: #333333; }
.mark { color: #8a2be2; font-weight: bold; }
.machine { text-decoration: underline dotted #5a5a5a; text-underline-offset: 0.2em; }
div.cover { text-align: center; padding: 2rem 0 1rem; border-bottom: 1px solid #888888; }
div.cover .desk { font-size: 1.2rem; margin: 0.25rem 0; }
.toc ol { padding-left: 1.5rem; }
.toc li { margin: 0.3rem 0; }
article { margin: 2rem 0 3rem; }
.meta { color: #444444; font-size: 0.95rem; margin: 0.2rem 0; overflow-wrap: anywhere; }
.source-title { color: #333333; margin: 0.2rem 0 0.8rem; }
.pair {
  display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
  column-gap: 2.5rem; align-items: start;
}
/* rem, not em: the Arabic's larger size must not move its first line below the English's */
.pair > * { min-width: 0; margin: 0; }
.pair { margin: 0 0 1rem; }
.pair.labels { border-bottom: 1px solid #888888; margin-bottom: 0.75rem; }
.label { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-weight: bold;
  color: #444444; margin: 0.3rem 0; }
/* the source column's label stands over it, at the edge its lines start from */
.labels .label + .label { text-align: right; }
figure.caption { margin: 1rem 0; padding: 0.5rem 0.9rem; background: #f3f3f3; }
figure.caption p { margin: 0.2rem 0; }
.credit { color: #444444; font-size: 0.9rem; }
.colophon {
  margin-top: 2rem; padding-top: 0.75rem; border-top: 1px solid #888888;
  font-size: 0.9rem; color: #333333;
}
.colophon dt { font-weight: bold; margin-top: 0.4rem; }
.colophon dd { margin-left: 1.25rem; }
.colophon ul { margin: 0; padding-left: 1.25rem; }
body > footer { margin-top: 2rem; font-size: 0.85rem; color: #444444;
  border-top: 1px solid #888888; padding-top: 0.5rem; }
@media (max-width: 40rem) {
  body { padding: 0.75rem; }
  .pair { grid-template-columns: minmax(0, 1fr); }
  .pair.labels { display: none; }
  .pair > :first-child { margin-bottom: 0.5rem; }
}
@page { size: A4; margin: 2cm 1.8cm 2.2cm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  body.side-by-side { max-width: none; }
  a { color: inherit; text-decoration: none; }
  .digest article { break-before: page; }
  h1, h2, h3, .pair.labels { break-after: avoid; }
  .pair, figure.caption, .colophon dl { break-inside: avoid; }
  p { orphans: 2; widows: 2; }
  .notice { border-width: 1.5pt; }
}
"""
