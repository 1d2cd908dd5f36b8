"""``bilingual models import``: OPUS-MT releases and CTranslate2 folders as packages.

An imported model is installed as a folder exactly like an argos package, so the rest
of the tool reads it the same way: ``metadata.json`` (argos's fields, ``from_code`` and
``to_code`` its first pair, and a ``"bilingual"`` model card, :mod:`bilingual.models.card`),
``model/`` the CTranslate2 model, the tokenizer files at the top (the card names them),
``README.md`` and ``LICENSE`` kept.

The source is one of:

* an OPUS-MT release zip (checked within the limits of any untrusted zip,
  :mod:`bilingual.models.archive`, then unpacked inside the staging folder) or its
  unpacked folder: the Marian model is converted (:mod:`bilingual.models.opus`);
* a CTranslate2 folder converted from a Marian, M2M-100 or NLLB checkpoint: copied
  (:mod:`bilingual.models.ct2dir`).

Everything is written inside the staging folder of :func:`~bilingual.models.install.
staged_install`, under the install lock, so an import that fails or is killed leaves
nothing installed and the next install deletes what it left; an import only ever
replaces a package of the same name.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bilingual.config import Settings
from bilingual.errors import ModelInstallError
from bilingual.lang import LANGUAGES, language_name
from bilingual.models.archive import (
    MAX_RELEASE_BYTES,
    check_sizes,
    check_tree,
    extract,
    install_error,
)
from bilingual.models.card import KINDS, ModelCard, card_metadata
from bilingual.models.ct2dir import (
    CT2_FIX,
    EXTRA_FILES,
    TOKENIZER_FILES,
    ModelFolder,
    folder_error,
    language_tokens,
    marian_languages,
    read_folder,
)
from bilingual.models.ct2dir import KEPT as FOLDER_KEPT
from bilingual.models.install import Staged, staged_install
from bilingual.models.languages import choose_token, known_order
from bilingual.models.licence import is_non_commercial, licence_from_text, normalise
from bilingual.models.opus import (
    DECODER,
    OPUS_FIX,
    TOKENIZERS,
    Release,
    bilingual_codes,
    convert_release,
    is_test_model,
    read_release,
    read_text,
)
from bilingual.models.opus import KEPT as RELEASE_KEPT
from bilingual.models.registry import PackageInfo

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "float32")
IMPORT_KINDS = tuple(k for k in KINDS if k != "argos")
OPUS_ATTRIBUTION = (
    "{title}, Helsinki-NLP OPUS-MT (Tiedemann & Thottingal 2020, OPUS-MT: Building open "
    "translation services for the World; Tiedemann 2020, The Tatoeba Translation Challenge)"
)
_DEFAULTS = {
    "marian": ("CC-BY-4.0", "{title}, Helsinki-NLP OPUS-MT (Tiedemann & Thottingal 2020)"),
    "m2m100": ("MIT", "M2M-100 (Fan et al. 2020, Beyond English-Centric Multilingual MT), Meta AI"),
    "nllb": ("CC-BY-NC-4.0", "NLLB-200 (NLLB Team et al. 2022, No Language Left Behind), Meta AI"),
}
"""Each kind's usual licence and credit, when the folder and the user say nothing."""
_CHUNK = 1 << 20
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


@dataclass(frozen=True)
class ImportOptions:
    """What the user said on the command line (None: read it from the model)."""

    kind: str | None = None
    quantization: str | None = None
    """For a conversion (an OPUS-MT release); int8 when None."""
    name: str | None = None
    licence: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()


def usage_error(what: str, fix: str) -> ModelInstallError:
    return ModelInstallError(what, where="bilingual models import", fix=fix)


def parse_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``ar-en,ar-vi`` -> ``(("ar", "en"), ("ar", "vi"))``, every code one bilingual knows."""
    pairs: list[tuple[str, str]] = []
    for item in (part.strip() for part in text.split(",")):
        match = re.fullmatch(r"([a-z]{2,3})\s*(?:->|-|_|:)\s*([a-z]{2,3})", item)
        if match is None or match.group(1) == match.group(2):
            raise usage_error(
                f"--pairs: {item!r} is not a language pair",
                fix="write pairs as ar-en,ar-vi (source-target, comma-separated)",
            )
        for code in match.groups():
            if code not in LANGUAGES:
                raise usage_error(
                    f"--pairs: bilingual does not know the language {code!r}",
                    fix=f"use the languages it knows: {', '.join(LANGUAGES)}",
                )
        if (match.group(1), match.group(2)) not in pairs:
            pairs.append((match.group(1), match.group(2)))
    return tuple(pairs)


def _check_options(options: ImportOptions) -> None:
    if options.kind is not None and options.kind not in IMPORT_KINDS:
        hint = " (an argos package is installed with `bilingual models install`)"
        raise usage_error(
            f"unknown kind {options.kind!r}" + (hint if options.kind == "argos" else ""),
            fix=f"give --kind {', --kind '.join(IMPORT_KINDS)}, or leave it out",
        )
    if options.quantization is not None and options.quantization not in QUANTIZATIONS:
        raise usage_error(
            f"unknown quantization {options.quantization!r}",
            fix=f"give one of {', '.join(QUANTIZATIONS)} (int8 when left out)",
        )
    if options.name is not None and _NAME.fullmatch(options.name) is None:
        raise usage_error(
            f"--name {options.name!r} cannot name a package folder",
            fix="use letters, digits, '.', '_', '+' and '-', starting with a letter or digit",
        )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.+]+", "-", text).strip("-.").lower()[:80]


def _pairs_name(pairs: Sequence[tuple[str, str]]) -> str:
    """``ar-en_vi`` for ar->en and ar->vi; ``ar_en_vi`` for every pair of ar, en, vi."""
    languages = list(dict.fromkeys(code for pair in pairs for code in pair))
    every = {(a, b) for a in languages for b in languages if a != b}
    if len(languages) > 2 and set(pairs) == every:
        return "_".join(known_order(languages))
    sources = "_".join(dict.fromkeys(s for s, _ in pairs))
    targets = "_".join(dict.fromkeys(t for _, t in pairs))
    return f"{sources}-{targets}"


def _choose_pairs(
    shown: str,
    options: ImportOptions,
    sources: Sequence[str],
    targets: Sequence[str],
    tokens: dict[str, str] | None,
    said: str = "",
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """The pairs to serve and the target tokens they need (``tokens``: code -> token for
    a model that wants one per target, None for one that wants none)."""
    if options.pairs:
        for source, target in options.pairs:
            for code, side, offered in ((source, "from", sources), (target, "into", targets)):
                if offered and code not in offered:
                    raise folder_error(
                        shown,
                        f"--pairs names {source}-{target}, but the model translates {side} "
                        f"{', '.join(offered)} only",
                        fix="give --pairs with the model's languages",
                    )
        pairs = options.pairs
    else:
        pairs = tuple((s, t) for s in known_order(sources) for t in known_order(targets) if s != t)
        if tokens is not None:
            pairs = tuple(p for p in pairs if p[1] in tokens)
    if not pairs:
        said = said or f"{', '.join(sources) or '?'} -> {', '.join(targets) or '?'}"
        raise folder_error(
            shown,
            f"found no language pair bilingual can use (the model says {said}; bilingual "
            f"knows {', '.join(LANGUAGES)})",
            fix="give the pairs the model translates with --pairs ar-en,…",
        )
    if tokens is None:
        return pairs, {}
    lacking = sorted({t for _, t in pairs if t not in tokens})
    if lacking:
        raise folder_error(
            shown,
            f"the model has no language token for {', '.join(lacking)} (its vocabulary "
            f"offers {', '.join(sorted(tokens.values())) or 'none'})",
            fix="give --pairs with languages the model has a token for",
        )
    return pairs, {t: tokens[t] for t in dict.fromkeys(t for _, t in pairs)}


def _write_metadata(
    staging: Path, card: ModelCard, version: str, title: str, notes: dict[str, Any]
) -> None:
    source, target = card.pairs[0]
    metadata = {
        "package_version": version,
        "from_code": source,
        "from_name": language_name(source),
        "to_code": target,
        "to_name": language_name(target),
        "type": "translate",
        "name": title,
        "links": [],
        "imported_from": notes,
        "bilingual": card_metadata(card),
    }
    text = json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"
    (staging / "metadata.json").write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path, digest: Any = None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("xb") as out:
        while chunk := src.read(_CHUNK):
            if digest is not None:
                digest.update(chunk)
            out.write(chunk)


def _check_spm(path: Path, shown: str, fix: str) -> None:
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ModelInstallError(
            f"{path.name} is not a SentencePiece model: {exc}", where=shown, fix=fix
        ) from None


def _licence(options: ImportOptions, found: str | None, kind: str) -> tuple[str, bool]:
    licence = normalise(options.licence) if options.licence else found or _DEFAULTS[kind][0]
    return licence, is_non_commercial(licence)


def _release_card(release: Release, options: ImportOptions, shown: str) -> ModelCard:
    sources, targets = bilingual_codes(release.sources), bilingual_codes(release.targets)
    labelled = release.needs_label or (len(release.targets) > 1 and bool(release.labels))
    tokens: dict[str, str] | None = None
    if labelled:
        found = {code: choose_token(code, dict(release.labels)) for code in LANGUAGES}
        tokens = {code: token for code, token in found.items() if token is not None}
    said = f"{' '.join(release.sources) or '?'} -> {' '.join(release.targets) or '?'}"
    pairs, language_tokens = _choose_pairs(shown, options, sources, targets, tokens, said)
    licence, non_commercial = _licence(options, release.licence, "marian")
    return ModelCard(
        kind="marian",
        pairs=pairs,
        source_tokenizer=TOKENIZERS[0],
        target_tokenizer=TOKENIZERS[1],
        language_tokens=language_tokens,
        licence=licence,
        attribution=OPUS_ATTRIBUTION.format(title=release.title),
        non_commercial=non_commercial,
        test_model=release.test_model,
    )


def _fill_from_release(
    folder: Path, staging: Path, options: ImportOptions, shown: str
) -> tuple[str, ModelCard]:
    """Convert the release in ``folder`` into a package in ``staging``; (name, card)."""
    release = read_release(folder, shown)
    card = _release_card(release, options, shown)
    for name in TOKENIZERS:
        _check_spm(folder / name, shown, OPUS_FIX)
    convert_release(release, staging / "model", options.quantization or "int8", shown)
    for name in (*TOKENIZERS, *RELEASE_KEPT):
        if (folder / name).is_file():
            _copy(folder / name, staging / name)
    version = release.version
    base = f"opus-mt-{_pairs_name(card.pairs)}" + (f"-{version}" if version else "")
    notes = {"format": "opus-mt", "release": release.title, "model": release.model.name}
    notes["quantization"] = options.quantization or "int8"
    _write_metadata(staging, card, version, f"OPUS-MT {release.title}", notes)
    return options.name or base, card


def _release_zip(path: Path, shown: str) -> tuple[zipfile.ZipFile, int, int]:
    """The opened release zip, how many folders to strip, and its unpacked size."""
    if not zipfile.is_zipfile(path):
        raise install_error(shown, "not a zip archive, nor a model folder", OPUS_FIX)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise install_error(shown, f"the archive is corrupt: {exc}", OPUS_FIX) from None
    infos = zf.infolist()
    files, _ = check_tree(shown, infos, OPUS_FIX)
    total = check_sizes(shown, infos, OPUS_FIX, MAX_RELEASE_BYTES)
    tops = {f.split("/")[0] for f in files}
    if DECODER in files:
        return zf, 0, total
    if len(tops) == 1 and f"{next(iter(tops))}/{DECODER}" in files:
        return zf, 1, total  # a release someone zipped again inside its folder
    zf.close()
    argos = any(f.endswith("/metadata.json") for f in files)
    raise install_error(
        shown,
        "this is an argos package: install it with `bilingual models install`"
        if argos
        else f"not an OPUS-MT release: the zip holds no {DECODER}",
        OPUS_FIX,
    )


def _folder_card(model: ModelFolder, options: ImportOptions, shown: str) -> ModelCard:
    found = language_tokens(model)
    if model.kind == "marian":
        sources, targets = marian_languages(model)
        if not sources and options.pairs:
            sources = list(dict.fromkeys(s for s, _ in options.pairs))
        if not targets and options.pairs:
            targets = list(dict.fromkeys(t for _, t in options.pairs))
        multi = {code: choose_token(code, found) for code in LANGUAGES} if found else {}
        tokens = {c: t for c, t in multi.items() if t is not None} if found else None
    else:
        chosen = {code: choose_token(code, found) for code in LANGUAGES}
        tokens = {code: token for code, token in chosen.items() if token is not None}
        # any language with a token is a source and a target; chosen pairs need a token
        # for both ends (M2M-100 and NLLB mark the source's language too)
        sources = targets = [] if options.pairs else list(tokens)
        if options.pairs:
            _choose_pairs(shown, replace(options, pairs=_swapped(options.pairs)), [], [], tokens)
    pairs, target_tokens = _choose_pairs(shown, options, sources, targets, tokens)
    if model.kind != "marian":
        target_tokens = {c: t for c, t in (tokens or {}).items() if any(c in p for p in pairs)}
    # the licence's own text first, then the model card's `license:`
    texts = [
        model.folder / n for n in (*FOLDER_KEPT[1:], "README.md") if (model.folder / n).is_file()
    ]
    found_licence = next(
        (lic for p in texts if (lic := licence_from_text(read_text(p, shown))) is not None), None
    )
    licence, non_commercial = _licence(options, found_licence, model.kind)
    tokenizers = TOKENIZER_FILES[model.kind]
    title = model.name_or_path or model.folder.name
    return ModelCard(
        kind=model.kind,
        pairs=pairs,
        source_tokenizer=tokenizers[0],
        target_tokenizer=tokenizers[-1],
        language_tokens=target_tokens,
        licence=licence,
        attribution=_DEFAULTS[model.kind][1].format(title=title),
        non_commercial=non_commercial,
        test_model=is_test_model(model.folder),
    )


def _swapped(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((t, s) for s, t in pairs)


def _fill_from_folder(model: ModelFolder, card: ModelCard, staging: Path) -> str:
    """Copy a CTranslate2 folder into ``staging`` as a package; its install name."""
    import ctranslate2

    folder = model.folder
    digest = hashlib.sha256()
    for name in ("model.bin", "config.json", *model.vocabulary):
        if (folder / name).is_file():
            _copy(folder / name, staging / "model" / name, digest if name == "model.bin" else None)
    if not ctranslate2.contains_model(str(staging / "model")):
        raise folder_error(str(folder), "model.bin is not a CTranslate2 model")
    for name in (*TOKENIZER_FILES[model.kind], *EXTRA_FILES, *FOLDER_KEPT):
        if (folder / name).is_file() and not (staging / name).exists():
            _copy(folder / name, staging / name)
    version = digest.hexdigest()[:12]  # the weights' identity: a new conversion, a new one
    checkpoint = model.name_or_path.rstrip("/").rsplit("/", 1)[-1]
    base = _slug(checkpoint) if checkpoint else f"{model.kind}-{_pairs_name(card.pairs)}"
    notes = {"format": "ctranslate2", "checkpoint": model.name_or_path}
    _write_metadata(staging, card, version, checkpoint or f"{model.kind} model", notes)
    return base


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def import_model(
    settings: Settings, path: Path, options: ImportOptions, *, shown: str | None = None
) -> PackageInfo:
    """Import a model (see the module docstring); errors name ``shown`` (default: path)."""
    shown = shown or str(path)
    _check_options(options)
    path = Path(path)
    if not path.exists():
        raise ModelInstallError(
            "no such file or folder",
            where=shown,
            fix="give the path of an OPUS-MT release (zip or folder) or of a CTranslate2 "
            "model folder",
        )
    release = path.is_file() or (path / DECODER).is_file()
    if release and options.kind not in (None, "marian"):
        raise usage_error(
            f"an OPUS-MT release holds a Marian model, not {options.kind}",
            fix="leave --kind out for an OPUS-MT release",
        )
    if not release and options.quantization is not None:
        raise usage_error(
            "--quantization applies to an OPUS-MT release, which is converted here; a "
            "CTranslate2 folder is installed as it was converted",
            fix="leave --quantization out, or convert again with ct2-transformers-converter "
            "--quantization",
        )
    same = _same_name
    if path.is_file():
        zf, strip, total = _release_zip(path, shown)

        def fill_zip(staging: Path) -> str:
            unpacked = staging / ".release"  # inside staging: a kill leaves nothing outside
            extract(shown, zf, unpacked, strip=strip, fix=OPUS_FIX, limit=MAX_RELEASE_BYTES)
            name, _ = _fill_from_release(unpacked, staging, options, shown)
            shutil.rmtree(unpacked)
            return name

        with zf:
            return staged_install(settings, Staged(shown, same, _never, 2 * total), fill_zip)
    if release:
        fill: Callable[[Path], str] = lambda staging: _fill_from_release(  # noqa: E731
            path, staging, options, shown
        )[0]
        return staged_install(settings, Staged(shown, same, _never, _tree_bytes(path)), fill)
    if not (path / "model.bin").is_file():
        raise folder_error(
            shown,
            f"neither an OPUS-MT release (no {DECODER}) nor a CTranslate2 model (no model.bin)",
            fix=f"{OPUS_FIX}; or {CT2_FIX}",
        )
    model = read_folder(path, shown, options.kind)
    card = _folder_card(model, options, shown)
    for name in dict.fromkeys((card.source_tokenizer, card.target_tokenizer)):
        _check_spm(path / name, shown, CT2_FIX)

    def fill_folder(staging: Path) -> str:
        base = _fill_from_folder(model, card, staging)
        return options.name or base

    return staged_install(settings, Staged(shown, same, _never, _tree_bytes(path)), fill_folder)


def _same_name(info: PackageInfo) -> bool:
    return True  # an import replaces whatever package has its name, and nothing else


def _never(info: PackageInfo) -> bool:
    return False
