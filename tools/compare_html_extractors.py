"""Compare main-text extractors on Arabic news pages built from the sample articles.

No real Arabic news page is saved in the repository, so three page layouts common on
Arabic news sites are built around each sample's paragraphs (``tools/make_input_forms.py``
reads the samples):

* ``semantic``: ``<main><article>`` with ``<figure>``, a menu, share buttons, related
  links, a comments counter and a footer (the layout of make_input_forms);
* ``divs``: no semantic tags, ``div.content`` beside a "most read" sidebar of long
  headlines, an inline "read also" link, and two long reader comments;
* ``br``: the whole article in one ``<div>`` with ``<br><br>`` between paragraphs (older
  CMSs), a tag cloud and a newsletter box.

For each extractor installed (trafilatura; readability-lxml, jusText: pip install them to
compare; plain lxml ``<p>`` text as the baseline) it prints the share of the article's
paragraphs found whole in the output, and how many boilerplate strings leaked in.

    python tools/compare_html_extractors.py input/*.txt
"""

from __future__ import annotations

import argparse
import html
import importlib.util
from collections.abc import Callable
from pathlib import Path

from bilingual.ingest import read_article

_SIDEBAR = [
    "وزير الخارجية يبحث مع نظيره الفرنسي تطورات الأوضاع في المنطقة",
    "ارتفاع أسعار الذهب في الأسواق المحلية مع بداية تعاملات الأسبوع",
    "المنتخب الوطني يستعد لمواجهة حاسمة في تصفيات كأس العالم المقبلة",
]
_COMMENTS = [
    "أحمد: هذا خبر مهم جدا ونتمنى أن تنجح هذه الجهود في حماية المواطنين من الجرائم.",
    "سارة: للأسف لا نرى أي تغيير حقيقي على أرض الواقع منذ سنوات طويلة وهذا محبط.",
]
BOILERPLATE = [
    *_SIDEBAR,
    *_COMMENTS,
    "الرئيسية",
    "جميع الحقوق محفوظة",
    "اقرأ أيضا",
    "اشترك في النشرة",
    "الأكثر قراءة",
    "شارك",
    "كلمات مفتاحية",
]


def _semantic(paras: list[str], name: str) -> str:
    spec = importlib.util.spec_from_file_location(
        "make_input_forms", Path(__file__).with_name("make_input_forms.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page: str = module.to_html(read_article(Path(name)))
    return page


def _divs(paras: list[str], name: str) -> str:
    e = html.escape
    body = "".join(
        f'<div class="p">{e(p)}</div>' if i % 2 else f"<p>{e(p)}</p>" for i, p in enumerate(paras)
    )
    mid = len(paras) // 2
    also = f'<p><a href="/n/9">اقرأ أيضا: {e(_SIDEBAR[0])}</a></p>'
    parts = body.split("</p>", mid)
    body = "</p>".join(parts[:-1]) + "</p>" + also + parts[-1] if len(parts) > 1 else body
    side = "".join(f'<li><a href="/n/{i}">{e(t)}</a></li>' for i, t in enumerate(_SIDEBAR))
    comments = "".join(f'<div class="comment"><p>{e(c)}</p></div>' for c in _COMMENTS)
    return (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{e(name)}</title></head>'
        '<body><div class="top"><a href="/">الرئيسية</a> | <a href="/w">العالم</a></div>'
        f'<div class="wrap"><div class="content"><h1>{e(paras[0][:40])}</h1>{body}</div>'
        f'<div class="sidebar"><h3>الأكثر قراءة</h3><ul>{side}</ul></div></div>'
        f'<div class="comments"><h3>التعليقات</h3>{comments}</div>'
        '<div class="foot">جميع الحقوق محفوظة 2025 | <a href="#">شارك</a></div></body></html>'
    )


def _br(paras: list[str], name: str) -> str:
    e = html.escape
    body = "<br><br>".join(e(p) for p in paras)
    tags = " ".join(f'<a href="/tag/{i}">وسم{i}</a>' for i in range(8))
    return (
        f'<html><head><meta charset="utf-8"><title>{e(name)}</title></head><body>'
        '<table><tr><td><a href="/">الرئيسية</a></td><td><a href="/a">أخبار</a></td></tr></table>'
        f'<div id="news">{body}</div>'
        f'<div class="tags">كلمات مفتاحية: {tags}</div>'
        '<div class="newsletter">اشترك في النشرة البريدية <input type="email"></div>'
        f'<ul class="most">{"".join(f"<li>{e(t)}</li>" for t in _SIDEBAR)}</ul>'
        '<p class="copy">جميع الحقوق محفوظة</p></body></html>'
    )


LAYOUTS: dict[str, Callable[[list[str], str], str]] = {
    "semantic": _semantic,
    "divs": _divs,
    "br": _br,
}


def _trafilatura(page: str) -> str:
    import trafilatura

    # as bilingual.readers.html calls it
    extracted = trafilatura.extract(page, include_comments=False, favor_precision=True)
    return extracted or ""


def _readability(page: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = Document(page).summary(html_partial=True)
    return str(lxml_html.fromstring(summary).text_content())


def _justext(page: str) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("Arabic"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _lxml_p(page: str) -> str:
    from lxml import html as lxml_html

    return "\n".join(p.text_content() for p in lxml_html.fromstring(page).iter("p"))


EXTRACTORS: dict[str, tuple[str, Callable[[str], str]]] = {
    "trafilatura": ("trafilatura", _trafilatura),
    "readability-lxml": ("readability", _readability),
    "jusText": ("justext", _justext),
    "lxml <p>": ("lxml", _lxml_p),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("articles", nargs="+", type=Path)
    args = ap.parse_args()
    print(f"{'extractor':18} {'layout':9} paragraphs kept   boilerplate leaked")
    for label, (module, extract) in EXTRACTORS.items():
        if importlib.util.find_spec(module) is None:
            print(f"{label:18} (not installed)")
            continue
        for layout, build in LAYOUTS.items():
            kept = total = leaked = 0
            for path in args.articles:
                paras = [p.text for p in read_article(path).paragraphs]
                out = " ".join(extract(build(paras, str(path))).split())
                kept += sum(1 for p in paras if p in out)
                total += len(paras)
                own = " ".join(paras)  # "شارك" is furniture, "وشارك" article text
                leaked += sum(1 for b in BOILERPLATE if b in out and b not in own)
            share = kept / total if total else 0.0
            print(f"{label:18} {layout:9} {kept:3}/{total:<3} ({share:4.0%})   {leaked}")


if __name__ == "__main__":
    main()
