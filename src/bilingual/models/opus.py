"""OPUS-MT releases: read what one holds, and convert its Marian model for CTranslate2.

Helsinki-NLP publishes each OPUS-MT and Tatoeba-Challenge model as a zip of loose files:
``decoder.yml`` (which ``.npz`` model and which ``.vocab.yml`` vocabularies to load),
the Marian model (``*.npz``), the vocabulary, ``source.spm`` and ``target.spm`` (the
SentencePiece models), ``README.md``, ``LICENSE`` and often a ``*.yml`` release
description. The README's ``* source language(s):`` and ``* target language(s):``
lines (or the description's ``source-languages``/``target-languages``) name the
languages in ISO 639-3; a model with several targets says "a sentence initial language
token is required in the form of ``>>id<<``" and has those tokens in its vocabulary.

A release is untrusted: ``decoder.yml`` may only name files inside the release, the
``.npz`` (itself a zip) passes the same limits as a package zip, and every YAML file is
read with ``yaml.safe_load`` and a size cap.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bilingual.errors import ModelInstallError
from bilingual.models.archive import MAX_RELEASE_BYTES, check_sizes
from bilingual.models.languages import to_bilingual
from bilingual.models.licence import licence_from_text

DECODER = "decoder.yml"
TOKENIZERS = ("source.spm", "target.spm")
TEST_MARKER = "bilingual_test_model.json"
"""``{"test_model": true}`` in a release or a model folder: a test model, not a real one."""
KEPT = ("README.md", "LICENSE")
OPUS_FIX = (
    "give an OPUS-MT release as Helsinki-NLP publishes it: the zip, or its unpacked folder "
    "with decoder.yml, the .npz model, the .vocab.yml vocabulary, source.spm and target.spm"
)
MAX_TEXT_BYTES = 1 << 20

_LANGS_LINE = re.compile(r"^\*\s*(source|target) language\(s\):[ \t]*(.*)$", re.M)
_ZIP_HEADING = re.compile(r"^#\s*(\S+?)\.zip\s*$", re.M)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LABEL = re.compile(r"""^["']?(>>[^<>\s"']+<<)["']?\s*:""", re.M)


@dataclass(frozen=True)
class Release:
    """What an OPUS-MT release folder holds, checked."""

    folder: Path
    model: Path
    """The Marian ``.npz`` model ``decoder.yml`` names."""
    vocabularies: tuple[Path, ...]
    sources: tuple[str, ...]
    """Source languages as the release writes them (``ara``, ``arz``); empty if unsaid."""
    targets: tuple[str, ...]
    labels: Mapping[str, str]
    """Target-language tokens in the vocabulary: ``>>vie<<`` -> ``vie``."""
    needs_label: bool
    """Whether the model wants a target-language token first in every source."""
    version: str
    """The release date (``2020-07-03``), or empty."""
    title: str
    """The release as its makers name it (``ara-eng/opus-2020-07-03``)."""
    licence: str | None
    """The licence the release's LICENSE names, if it names one this tool recognises."""
    test_model: bool


def release_error(shown: str, what: str) -> ModelInstallError:
    return ModelInstallError(what, where=shown, fix=OPUS_FIX)


def read_text(path: Path, shown: str) -> str:
    """A small text file of the release (README, YAML), at most 1 MiB of it."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_TEXT_BYTES)
    except OSError as exc:
        raise release_error(shown, f"cannot read {path.name}: {exc.strerror or exc}") from None
    return raw.decode("utf-8", errors="replace")


def _load_yaml(path: Path, shown: str) -> Any:
    try:
        return yaml.safe_load(read_text(path, shown))
    except yaml.YAMLError as exc:
        raise release_error(shown, f"{path.name} is not valid YAML: {exc}") from None


def _member(folder: Path, name: Any, shown: str, role: str) -> Path:
    """A file ``decoder.yml`` names: a plain name of a file inside the release."""
    if (
        not isinstance(name, str)
        or not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or "\0" in name
    ):
        raise release_error(
            shown, f"{DECODER} names {name!r} as its {role}: not a file name inside the release"
        )
    path = folder / name
    if not path.is_file() or path.is_symlink():
        raise release_error(
            shown, f"{DECODER} names {name} as its {role}, but the release lacks it"
        )
    return path


def _decoder_files(folder: Path, shown: str) -> tuple[Path, tuple[Path, ...]]:
    config = _load_yaml(folder / DECODER, f"{shown}: {DECODER}")
    if not isinstance(config, dict):
        raise release_error(shown, f"{DECODER} is not a Marian decoder configuration")
    models, vocabs = config.get("models"), config.get("vocabs")
    if not isinstance(models, list) or not models:
        raise release_error(shown, f"{DECODER} names no model (its `models:` list is missing)")
    if not isinstance(vocabs, list) or not 1 <= len(vocabs) <= 2:
        raise release_error(shown, f"{DECODER} must name one or two vocabularies (`vocabs:`)")
    model = _member(folder, models[0], shown, "model")
    if model.suffix != ".npz":
        raise release_error(shown, f"{model.name} is not a Marian .npz model")
    return model, tuple(_member(folder, v, shown, "vocabulary") for v in vocabs)


def _description(folder: Path, skip: set[Path], shown: str) -> dict[str, Any]:
    """The release description ``*.yml`` (the one with ``source-languages``), if any."""
    for path in sorted(folder.glob("*.yml")):
        if path in skip or path.name == DECODER or path.stat().st_size > MAX_TEXT_BYTES:
            continue
        try:
            data = yaml.safe_load(read_text(path, shown))
        except yaml.YAMLError:
            continue  # not the description: a release may hold other YAML
        if isinstance(data, dict) and ("source-languages" in data or "release" in data):
            return data
    return {}


def _codes(value: Any) -> tuple[str, ...]:
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def _languages(readme: str, described: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    found = {"source": (), "target": ()} | {
        side: _codes(codes) for side, codes in reversed(_LANGS_LINE.findall(readme))
    }
    sources = found["source"] or _codes(described.get("source-languages"))
    targets = found["target"] or _codes(described.get("target-languages"))
    return sources, targets


def _side(codes: tuple[str, ...]) -> str:
    return "+".join(codes) if len(codes) <= 4 else "mul"


def _labels(vocabularies: tuple[Path, ...]) -> dict[str, str]:
    """``>>id<<`` tokens of the source vocabulary (the first; the one a source holds)."""
    text = vocabularies[0].read_text(encoding="utf-8", errors="replace")
    return {label: label[2:-2] for label in _LABEL.findall(text)}


def is_test_model(folder: Path) -> bool:
    """Whether ``folder`` holds the test-model marker :data:`TEST_MARKER`."""
    marker = folder / TEST_MARKER
    if not marker.is_file():
        return False
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("test_model") is True


def read_release(folder: Path, shown: str) -> Release:
    """Check a release folder and read its languages, tokens, version and licence."""
    model, vocabularies = _decoder_files(folder, shown)
    missing = [name for name in TOKENIZERS if not (folder / name).is_file()]
    if missing:
        raise release_error(
            shown, f"the release lacks {' and '.join(missing)} (its SentencePiece models)"
        )
    readme = read_text(folder / "README.md", shown) if (folder / "README.md").is_file() else ""
    described = _description(folder, set(vocabularies), shown)
    sources, targets = _languages(readme, described)
    heading = _ZIP_HEADING.search(readme)
    release = str(described.get("release") or (heading.group(1) if heading else ""))
    release = release.removesuffix(".zip")
    if release and "/" not in release and sources and targets:
        release = f"{_side(sources)}-{_side(targets)}/{release}"  # as Tatoeba names them
    date = _DATE.search(str(described.get("release-date") or release))
    licence_file = folder / "LICENSE"
    licence = licence_from_text(read_text(licence_file, shown)) if licence_file.is_file() else None
    return Release(
        folder=folder,
        model=model,
        vocabularies=vocabularies,
        sources=sources,
        targets=targets,
        labels=_labels(vocabularies),
        needs_label=">>id<<" in readme or "use-target-labels" in described,
        version=date.group(0) if date else "",
        title=release or model.name,
        licence=licence,
        test_model=is_test_model(folder),
    )


def bilingual_codes(codes: tuple[str, ...]) -> list[str]:
    """The release's codes as bilingual's (``ara``, ``arz`` -> ``ar``), each once."""
    mapped = (to_bilingual(code) for code in codes)
    return list(dict.fromkeys(code for code in mapped if code is not None))


def _check_npz(release: Release, shown: str) -> None:
    """The ``.npz`` is a zip too: the same limits, and the entries the converter reads
    before it can say anything useful itself."""
    where = f"{shown}: {release.model.name}"
    try:
        with zipfile.ZipFile(release.model) as npz:
            check_sizes(where, npz.infolist(), OPUS_FIX, MAX_RELEASE_BYTES)
            names = {info.filename.removesuffix(".npy") for info in npz.infolist()}
    except zipfile.BadZipFile:
        raise release_error(where, "not a Marian .npz model (not a zip of arrays)") from None
    lacking = [n for n in ("special:model.yml",) if n not in names]
    if not ({"Wemb"} <= names or {"encoder_Wemb", "decoder_Wemb"} <= names):
        lacking.append("Wemb (or encoder_Wemb and decoder_Wemb)")
    if lacking:
        raise release_error(
            where, f"the model lacks {', '.join(lacking)}, which the converter needs"
        )


def convert_release(release: Release, model_dir: Path, quantization: str, shown: str) -> None:
    """Convert the release's Marian model into a CTranslate2 model at ``model_dir``."""
    from ctranslate2.converters import OpusMTConverter

    _check_npz(release, shown)
    where = f"{shown}: {release.model.name}"
    try:
        OpusMTConverter(str(release.folder)).convert(str(model_dir), quantization=quantization)
    except KeyError as exc:
        weight = str(exc.args[0]).split(" is not a file")[0] if exc.args else "?"
        raise release_error(
            where, f"the model lacks the weight {weight}, which the converter needs"
        ) from None
    except ValueError as exc:
        text = " ".join(str(exc).split())
        if "vocabulary" in text.lower():
            vocab = ", ".join(v.name for v in release.vocabularies)
            raise release_error(
                f"{shown}: {vocab}", f"the vocabulary does not match the model: {text}"
            ) from None
        if "not set" in text:
            raise release_error(
                where, f"the model lacks weights the converter needs: {text}"
            ) from None
        raise release_error(where, f"cannot convert the model: {text}") from None
    except (NotImplementedError, AttributeError, TypeError, IndexError, EOFError) as exc:
        raise release_error(where, f"cannot convert the model: {exc}") from None
