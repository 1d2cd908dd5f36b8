"""CTranslate2 model folders: which kind of model one holds, its languages and tokens.

A user converts a Marian, M2M-100 or NLLB checkpoint with ``ct2-transformers-converter
--copy_files ...``: the folder then holds ``model.bin``, CTranslate2's ``config.json``,
the vocabulary (``shared_vocabulary.json`` or ``.txt``, or source and target
vocabularies) and the tokenizer files copied beside them:

* Marian: ``source.spm`` and ``target.spm`` (with ``vocab.json``,
  ``tokenizer_config.json``: ``MarianTokenizer``);
* M2M-100: ``sentencepiece.bpe.model`` (with ``vocab.json``, ``tokenizer_config.json``:
  ``M2M100Tokenizer``); language tokens ``__ar__``;
* NLLB: ``sentencepiece.bpe.model`` (with ``tokenizer.json``, ``tokenizer_config.json``:
  ``NllbTokenizer`` or ``NllbTokenizerFast``); language tokens ``arb_Arab``.

The kind comes from ``tokenizer_config.json``, else from the vocabulary's language
tokens, else from ``--kind``; the languages from the tokens present (M2M-100, NLLB) or
the tokenizer's ``source_lang``/``target_lang`` (Marian), restricted to those bilingual
knows.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.errors import ModelInstallError
from bilingual.models.languages import to_bilingual

MODEL_FILES = ("model.bin", "config.json")
VOCABULARIES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)
TOKENIZER_FILES = {
    "marian": ("source.spm", "target.spm"),
    "m2m100": ("sentencepiece.bpe.model",),
    "nllb": ("sentencepiece.bpe.model",),
}
"""What each kind cannot run without."""
EXTRA_FILES = (
    "vocab.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "special_tokens_map.json",
    "generation_config.json",
)
"""Tokenizer files kept when present (a later tool may want them)."""
KEPT = ("README.md", "LICENSE", "LICENSE.txt", "LICENSE.md")
_CLASSES = {
    "MarianTokenizer": "marian",
    "M2M100Tokenizer": "m2m100",
    "NllbTokenizer": "nllb",
    "NllbTokenizerFast": "nllb",
}
_M2M_TOKEN = re.compile(r"__([a-z]{2,3})__")
_NLLB_TOKEN = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")
_MARIAN_LABEL = re.compile(r">>([A-Za-z_]{2,12})<<")
MAX_JSON_BYTES = 64 << 20
"""The largest tokenizer/vocabulary JSON read (NLLB's tokenizer.json is about 17 MB)."""

CT2_FIX = (
    "give a folder written by `ct2-transformers-converter --model NAME --output_dir DIR "
    "--copy_files ...` holding model.bin, config.json, the vocabulary and the tokenizer "
    "files, or an OPUS-MT release"
)


@dataclass(frozen=True)
class ModelFolder:
    """A CTranslate2 model folder, checked."""

    folder: Path
    kind: str
    vocabulary: tuple[str, ...]
    """The vocabulary files, relative to the folder."""
    sizes: tuple[int, int]
    """Tokens in the source and the target vocabulary."""
    tokens: frozenset[str]
    """Every token of the (source) vocabulary."""
    tokenizer_config: dict[str, Any]
    name_or_path: str
    """The checkpoint it was converted from (``facebook/m2m100_418M``), if recorded."""


def folder_error(shown: str, what: str, fix: str = CT2_FIX) -> ModelInstallError:
    return ModelInstallError(what, where=shown, fix=fix)


def _read_json(path: Path, shown: str) -> Any:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise folder_error(f"{shown}: {path.name}", "too large for a tokenizer or vocabulary")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise folder_error(f"{shown}: {path.name}", f"not valid JSON: {exc}") from None


def _tokens(path: Path, shown: str) -> list[str]:
    if path.suffix == ".json":
        data = _read_json(path, shown)
        if not isinstance(data, list):
            raise folder_error(f"{shown}: {path.name}", "not a list of tokens")
        return [str(t) for t in data]
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _vocabulary(folder: Path, shown: str) -> tuple[tuple[str, ...], tuple[int, int], list[str]]:
    """The vocabulary files, the source and target sizes, the source tokens."""
    for names in VOCABULARIES:
        if all((folder / n).is_file() for n in names):
            source = _tokens(folder / names[0], shown)
            target = _tokens(folder / names[-1], shown) if len(names) > 1 else source
            return names, (len(source), len(target)), source
    raise folder_error(
        shown, "the folder lacks the vocabulary (shared_vocabulary.json, or source and target)"
    )


def _shapes(path: Path) -> dict[str, tuple[int, ...]] | None:
    """Each variable's shape in a CTranslate2 ``model.bin`` (its header only: the weights
    are skipped); None for a format version other than the one this reads (6)."""
    shapes: dict[str, tuple[int, ...]] = {}
    with path.open("rb") as fh:

        def read(fmt: str) -> tuple[int, ...]:
            size = struct.calcsize("<" + fmt)
            raw = fh.read(size)
            if len(raw) < size:
                raise ValueError("model.bin ends early: the file is truncated")
            return struct.unpack("<" + fmt, raw)

        def string() -> str:
            (length,) = read("H")
            return fh.read(length).rstrip(b"\0").decode("utf-8", errors="replace")

        if read("I")[0] != 6:
            return None
        string()  # the spec's name
        read("I")  # its revision
        (count,) = read("I")
        for _ in range(min(count, 1 << 20)):
            name = string()
            (rank,) = read("B")
            dims = read("I" * rank) if rank else ()
            read("B")  # the type
            (size,) = read("I")
            fh.seek(size, 1)
            shapes[name] = dims
        for _ in range(min(read("I")[0], 1 << 20)):
            alias, target = string(), string()
            if target in shapes:
                shapes[alias] = shapes[target]
    return shapes


def check_vocabulary(
    folder: Path, shown: str, sizes: tuple[int, int], files: tuple[str, ...]
) -> None:
    """The vocabulary has as many tokens as the model has embeddings (a folder whose
    files come from two conversions would translate into garbage, or crash)."""
    try:
        shapes = _shapes(folder / "model.bin")
    except (ValueError, OSError, struct.error) as exc:
        raise folder_error(f"{shown}: model.bin", f"not a CTranslate2 model: {exc}") from None
    if shapes is None:
        return
    sides = (
        ("source", sizes[0], ("encoder/embeddings_0/weight", "encoder/embeddings/weight")),
        ("target", sizes[1], ("decoder/embeddings/weight", "decoder/projection/weight")),
    )
    for side, size, names in sides:
        for name in names:
            rows = shapes.get(name, (size,))[0]
            if rows != size:
                raise folder_error(
                    f"{shown}: {' and '.join(files)}",
                    f"the {side} vocabulary ({size:,} tokens) does not match the model "
                    f"(model.bin: {rows:,} rows in {name})",
                    fix="use the vocabulary written with this model.bin by the same "
                    "conversion, or convert again",
                )


def _kind_from_tokens(folder: Path, tokens: list[str]) -> str | None:
    if sum(1 for t in tokens if _M2M_TOKEN.fullmatch(t)) >= 2:
        return "m2m100"
    if sum(1 for t in tokens if _NLLB_TOKEN.fullmatch(t)) >= 2:
        return "nllb"
    if all((folder / n).is_file() for n in TOKENIZER_FILES["marian"]):
        return "marian"
    return None


def read_folder(folder: Path, shown: str, kind: str | None) -> ModelFolder:
    """Check a CTranslate2 model folder and tell its kind (``kind`` when the files cannot)."""
    if not (folder / "model.bin").is_file():
        raise folder_error(shown, "the folder holds no model.bin: not a CTranslate2 model")
    vocabulary, sizes, tokens = _vocabulary(folder, shown)
    check_vocabulary(folder, shown, sizes, vocabulary)
    config_path = folder / "tokenizer_config.json"
    config = _read_json(config_path, shown) if config_path.is_file() else {}
    config = config if isinstance(config, dict) else {}
    found = _CLASSES.get(str(config.get("tokenizer_class", "")))
    found = found or _kind_from_tokens(folder, tokens)
    chosen = kind or found
    if chosen is None:
        raise folder_error(
            shown,
            "cannot tell which kind of model this is (no tokenizer_config.json naming its "
            "tokenizer, and no language tokens in the vocabulary)",
            fix="give --kind marian, --kind m2m100 or --kind nllb",
        )
    missing = [n for n in TOKENIZER_FILES[chosen] if not (folder / n).is_file()]
    if missing:
        raise folder_error(
            shown,
            f"the folder has no tokenizer: a {chosen} model needs {' and '.join(missing)} "
            "beside model.bin",
            fix="convert again with `ct2-transformers-converter ... --copy_files "
            f"{' '.join(TOKENIZER_FILES[chosen])}`, or copy the file(s) from the checkpoint",
        )
    return ModelFolder(
        folder=folder,
        kind=chosen,
        vocabulary=vocabulary,
        sizes=sizes,
        tokens=frozenset(tokens),
        tokenizer_config=config,
        name_or_path=str(config.get("name_or_path") or ""),
    )


def language_tokens(model: ModelFolder) -> dict[str, str]:
    """Each language token of the vocabulary and the language code inside it."""
    pattern = {"m2m100": _M2M_TOKEN, "nllb": _NLLB_TOKEN, "marian": _MARIAN_LABEL}[model.kind]
    found: dict[str, str] = {}
    for token in sorted(model.tokens):
        match = pattern.fullmatch(token)
        if match is not None:
            found[token] = match.group(1) if match.groups() else token
    return found


def marian_languages(model: ModelFolder) -> tuple[list[str], list[str]]:
    """A Marian checkpoint's source and target languages from its tokenizer config."""
    sides: list[list[str]] = []
    for key in ("source_lang", "target_lang"):
        value = model.tokenizer_config.get(key)
        codes = value.replace("+", " ").replace(",", " ").split() if isinstance(value, str) else []
        mapped = (to_bilingual(code) for code in codes)
        sides.append(list(dict.fromkeys(c for c in mapped if c is not None)))
    return sides[0], sides[1]
