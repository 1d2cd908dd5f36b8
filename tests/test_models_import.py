"""``bilingual models import``: OPUS-MT releases and CTranslate2 folders as packages.

The releases here are tiny but real: a Marian ``.npz`` with every weight the
CTranslate2 converter reads (one layer, width 8), its vocabulary, ``decoder.yml``, and
the SentencePiece model of the committed argos test package as ``source.spm`` and
``target.spm``. The CTranslate2 folders are such a model converted, with M2M-100 or NLLB
language tokens written into its vocabulary and the tokenizer files beside it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from test_models import leftovers, make_package, settings_for, visible
from typer.testing import CliRunner

from bilingual.cli import app
from bilingual.config import Settings
from bilingual.errors import ModelInstallError, ModelNotInstalledError
from bilingual.models import (
    ImportOptions,
    import_model,
    install_package_file,
    installed_packages,
    licence_lines,
    non_commercial_notes,
    parse_pairs,
    remove_package,
)
from bilingual.models.languages import choose_token, to_bilingual
from bilingual.models.licence import licence_from_text

REPO = Path(__file__).resolve().parents[1]
AR_EN = REPO / "tests" / "models" / "translate-ar_en-test.argosmodel"
NPZ = "opus.spm32k-spm32k.transformer.model1.npz.best-perplexity.npz"
VOCAB = "opus.spm32k-spm32k.vocab.yml"
WIDTH, FFN, VOCAB_SIZE = 8, 16, 16

pytestmark = pytest.mark.usefixtures("no_network")


# --------------------------------------------------------------------------- fixtures


def _spm() -> bytes:
    with zipfile.ZipFile(AR_EN) as zf:
        return zf.read("translate-ar_en-test/sentencepiece.model")


def _weights(vocab_size: int) -> dict[str, np.ndarray]:
    """A one-layer post-norm Marian transformer: every name the converter reads."""
    rng = np.random.default_rng(7)
    config = {
        "type": "transformer",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-ffn-activation": "swish",
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-guided-alignment-layer": "last",
        "enc-depth": 1,
        "dec-depth": 1,
        "transformer-heads": 2,
    }
    raw = yaml.safe_dump(config).encode() + b"\0"
    weights = {"special:model.yml": np.frombuffer(raw, dtype=np.int8)}

    def linear(scope: str, rows: int, cols: int, suffix: str) -> None:
        weights[f"{scope}_W{suffix}"] = rng.normal(size=(rows, cols)).astype(np.float32)
        weights[f"{scope}_b{suffix}"] = np.zeros((1, cols), np.float32)

    def norm(scope: str) -> None:
        weights[f"{scope}_ln_scale"] = np.ones((1, WIDTH), np.float32)
        weights[f"{scope}_ln_bias"] = np.zeros((1, WIDTH), np.float32)

    weights["Wemb"] = rng.normal(size=(vocab_size, WIDTH)).astype(np.float32)
    for scope, blocks in (("encoder_l1", ("self",)), ("decoder_l1", ("self", "context"))):
        for block in blocks:
            for suffix in "qkvo":
                linear(f"{scope}_{block}", WIDTH, WIDTH, suffix)
            norm(f"{scope}_{block}_Wo")
        linear(f"{scope}_ffn", WIDTH, FFN, "1")
        linear(f"{scope}_ffn", FFN, WIDTH, "2")
        norm(f"{scope}_ffn_ffn")
    weights["decoder_ff_logit_out_b"] = np.zeros((1, vocab_size), np.float32)
    return weights


def make_release(
    dest: Path,
    *,
    sources: str = "ara",
    targets: str = "eng",
    labels: tuple[str, ...] = (),
    vocab_size: int = VOCAB_SIZE,
    drop: tuple[str, ...] = (),
    test_marker: bool = False,
    licence: str = "Creative Commons Attribution 4.0 International Public License\n",
    date: str = "2021-02-18",
) -> Path:
    """An unpacked OPUS-MT release in the Helsinki-NLP layout, in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    weights = {k: v for k, v in _weights(VOCAB_SIZE).items() if k not in drop}
    np.savez(dest / NPZ, **weights)
    tokens = ["</s>", "<unk>", *labels]
    tokens += [f"▁w{i}" for i in range(vocab_size - len(tokens))]
    (dest / VOCAB).write_text(
        "".join(f'"{t}": {i}\n' for i, t in enumerate(tokens)), encoding="utf-8"
    )
    (dest / "decoder.yml").write_text(
        f"models:\n  - {NPZ}\nvocabs:\n  - {VOCAB}\n  - {VOCAB}\n"
        "beam-size: 6\nnormalize: 0.6\nrelative-paths: true\n",
        encoding="utf-8",
    )
    readme = [
        f"# opus-{date}.zip",
        "",
        "* dataset: opus",
        "* model: transformer",
        f"* source language(s): {sources}",
        f"* target language(s): {targets}",
        "* pre-processing: normalization + SentencePiece (spm32k,spm32k)",
    ]
    if labels:
        readme.append(
            "* a sentence initial language token is required in the form of `>>id<<` "
            "(id = valid target language ID)"
        )
    (dest / "README.md").write_text("\n".join(readme) + "\n", encoding="utf-8")
    (dest / "LICENSE").write_text(licence, encoding="utf-8")
    for name in ("source.spm", "target.spm"):
        (dest / name).write_bytes(_spm())
    (dest / "preprocess.sh").write_text("#!/bin/sh\ncat\n", encoding="utf-8")
    if test_marker:
        (dest / "bilingual_test_model.json").write_text('{"test_model": true}\n')
    return dest


def zip_release(folder: Path, target: Path) -> Path:
    """The release as Helsinki-NLP zips it: the files at the top, no folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    return target


M2M_TOKENS = {"ar": "__ar__", "en": "__en__", "vi": "__vi__", "fr": "__fr__"}
NLLB_TOKENS = {"ar": "arb_Arab", "ar-latn": "arb_Latn", "en": "eng_Latn", "vi": "vie_Latn"}


def make_ct2_folder(
    dest: Path,
    kind: str,
    *,
    languages: tuple[str, ...] = ("ar", "en", "vi"),
    tokenizer_class: str | None = "default",
    tokenizer: bool = True,
    extra: dict[str, str] | None = None,
) -> Path:
    """A CTranslate2 folder as ``ct2-transformers-converter --copy_files`` leaves it."""
    from ctranslate2.converters import OpusMTConverter

    release = make_release(dest.parent / f"{dest.name}-release")
    OpusMTConverter(str(release)).convert(str(dest), quantization="int8")
    table = {"m2m100": M2M_TOKENS, "nllb": NLLB_TOKENS, "marian": {}}[kind]
    vocabulary = json.loads((dest / "shared_vocabulary.json").read_text(encoding="utf-8"))
    wanted = [tok for code, tok in table.items() if code.split("-")[0] in languages]
    vocabulary[2 : 2 + len(wanted)] = wanted  # same size: the model still matches
    (dest / "shared_vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    classes = {
        "m2m100": "M2M100Tokenizer",
        "nllb": "NllbTokenizerFast",
        "marian": "MarianTokenizer",
    }
    config: dict[str, Any] = {"name_or_path": f"facebook/{kind}_tiny"}
    if tokenizer_class is not None:
        config["tokenizer_class"] = (
            classes[kind] if tokenizer_class == "default" else tokenizer_class
        )
    if kind == "marian":
        config |= {"source_lang": "ar", "target_lang": "en", "name_or_path": "opus-mt-ar-en"}
    (dest / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    if tokenizer:
        names = ("source.spm", "target.spm") if kind == "marian" else ("sentencepiece.bpe.model",)
        for name in names:
            (dest / name).write_bytes(_spm())
    for name, text in (extra or {}).items():
        (dest / name).write_text(text, encoding="utf-8")
    return dest


def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "home")


def refused(settings: Settings, path: Path, options: ImportOptions | None = None) -> str:
    """Import, expect a refusal; the message, after checking nothing was installed."""
    with pytest.raises(ModelInstallError) as caught:
        import_model(settings, path, options or ImportOptions())
    assert installed_packages(settings) == []
    if settings.packages_dir.exists():
        assert leftovers(settings.packages_dir) == []
    return caught.value.message


# --------------------------------------------------------------------------- OPUS-MT


def test_a_release_folder_is_converted_and_installed_like_an_argos_package(
    tmp_path: Path,
) -> None:
    import ctranslate2

    s = settings(tmp_path)
    info = import_model(s, make_release(tmp_path / "rel"), ImportOptions())
    assert info.name == "opus-mt-ar-en-2021-02-18"
    assert (info.from_code, info.to_code, info.package_version) == ("ar", "en", "2021-02-18")
    card = info.card
    assert (card.kind, card.pairs, dict(card.language_tokens)) == ("marian", (("ar", "en"),), {})
    assert (card.source_tokenizer, card.target_tokenizer) == ("source.spm", "target.spm")
    assert (card.licence, card.non_commercial, card.test_model) == ("CC-BY-4.0", False, False)
    assert "Helsinki-NLP" in card.attribution and "ara-eng/opus-2021-02-18" in card.attribution
    names = sorted(p.name for p in info.path.iterdir())
    assert names == ["LICENSE", "README.md", "metadata.json", "model", "source.spm", "target.spm"]
    metadata = json.loads((info.path / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["type"] == "translate" and metadata["bilingual"]["kind"] == "marian"
    assert metadata["imported_from"]["quantization"] == "int8"
    translator = ctranslate2.Translator(str(info.path / "model"))
    assert translator.translate_batch([["▁w3", "▁w4"]], max_decoding_length=3)[0].hypotheses
    assert [p.name for p in installed_packages(s)] == [info.name]
    assert leftovers(s.packages_dir) == []


def test_a_multi_target_release_zip_records_its_target_tokens(tmp_path: Path) -> None:
    folder = make_release(
        tmp_path / "rel",
        sources="afb apc ara arz",  # Arabic varieties: all of them are bilingual's ar
        targets="eng fra vie",
        labels=(">>eng<<", ">>fra<<", ">>vie<<", ">>vie_Latn<<"),
        test_marker=True,
    )
    release = zip_release(folder, tmp_path / "opus-2021-02-18.zip")
    info = import_model(settings(tmp_path), release, ImportOptions(quantization="float32"))
    assert info.name == "opus-mt-ar-en_vi-2021-02-18"
    assert info.pairs == (("ar", "en"), ("ar", "vi"))
    assert dict(info.card.language_tokens) == {"en": ">>eng<<", "vi": ">>vie<<"}
    assert info.card.test_model
    assert not (info.path / ".release").exists()  # the unpacked release is not kept


def test_a_release_zipped_inside_a_folder_and_chosen_pairs(tmp_path: Path) -> None:
    folder = make_release(
        tmp_path / "rel", targets="eng vie", labels=(">>eng<<", ">>vie<<"), date="2020-01-01"
    )
    release = tmp_path / "again.zip"
    with zipfile.ZipFile(release, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"ara-mul/{path.name}")
    options = ImportOptions(pairs=parse_pairs("ar-vi"), name="my-ar-vi", licence="cc-by-sa-4.0")
    info = import_model(settings(tmp_path), release, options)
    assert (info.name, info.pairs, info.to_code) == ("my-ar-vi", (("ar", "vi"),), "vi")
    assert dict(info.card.language_tokens) == {"vi": ">>vie<<"}
    assert info.card.licence == "CC-BY-SA-4.0"


def test_a_zip_that_is_not_an_opus_release_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "holiday-photos.zip"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("photo.txt", "not a model")
    message = refused(settings(tmp_path), junk)
    assert "holiday-photos.zip" in message and "decoder.yml" in message
    argos = refused(settings(tmp_path), AR_EN)
    assert "bilingual models install" in argos


def test_a_release_zip_is_checked_like_any_untrusted_zip(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("decoder.yml", "models: [x.npz]\nvocabs: [v.yml]\n")
        zf.writestr("../outside.txt", "escape")
    message = refused(settings(tmp_path), evil)
    assert "evil.zip" in message and "unsafe path" in message
    assert not (tmp_path / "outside.txt").exists()


def test_a_decoder_yml_may_name_only_files_inside_the_release(tmp_path: Path) -> None:
    folder = make_release(tmp_path / "rel")
    (folder / "decoder.yml").write_text(f"models:\n  - /etc/{NPZ}\nvocabs:\n  - {VOCAB}\n")
    message = refused(settings(tmp_path), folder)
    assert "decoder.yml" in message and "not a file name inside the release" in message


@pytest.mark.parametrize(
    "missing", ["decoder_l1_context_Wq", "encoder_l1_self_Wo_ln_scale", "Wemb"]
)
def test_a_release_whose_model_lacks_weights_is_refused(tmp_path: Path, missing: str) -> None:
    folder = make_release(tmp_path / "rel", drop=(missing,))
    message = refused(settings(tmp_path), zip_release(folder, tmp_path / "short.zip"))
    assert "short.zip" in message and NPZ in message
    assert "lacks" in message and "converter needs" in message


def test_a_vocabulary_that_does_not_match_the_model_is_refused(tmp_path: Path) -> None:
    folder = make_release(tmp_path / "rel", vocab_size=VOCAB_SIZE + 5)
    message = refused(settings(tmp_path), folder)
    assert VOCAB in message and "does not match the model" in message


def test_pairs_naming_a_target_without_its_token_are_refused(tmp_path: Path) -> None:
    folder = make_release(tmp_path / "rel", targets="eng vie", labels=(">>eng<<",))
    message = refused(settings(tmp_path), folder, ImportOptions(pairs=(("ar", "vi"),)))
    assert "no language token for vi" in message and "rel" in message
    # without --pairs the pair the model has no token for is left out
    info = import_model(settings(tmp_path), folder, ImportOptions())
    assert info.pairs == (("ar", "en"),)


def test_a_release_without_languages_bilingual_knows_says_so(tmp_path: Path) -> None:
    folder = make_release(tmp_path / "rel", sources="fin", targets="swe")
    message = refused(settings(tmp_path), folder)
    assert "fin -> swe" in message and "--pairs" in message


# --------------------------------------------------------------------------- CTranslate2


def test_an_m2m100_folder_serves_every_pair_of_its_languages(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100", extra={"vocab.json": "{}"})
    s = settings(tmp_path)
    info = import_model(s, folder, ImportOptions())
    card = info.card
    assert (info.name, card.kind, card.licence, card.non_commercial) == (
        "m2m100-tiny",
        "m2m100",
        "MIT",
        False,
    )
    assert card.pairs[0] == ("ar", "en") and len(card.pairs) == 6
    assert dict(card.language_tokens) == {"ar": "__ar__", "en": "__en__", "vi": "__vi__"}
    assert card.source_tokenizer == card.target_tokenizer == "sentencepiece.bpe.model"
    files = sorted(p.name for p in info.path.iterdir())
    assert files == [
        "metadata.json",
        "model",
        "sentencepiece.bpe.model",
        "tokenizer_config.json",
        "vocab.json",
    ]
    assert sorted(p.name for p in (info.path / "model").iterdir()) == [
        "config.json",
        "model.bin",
        "shared_vocabulary.json",
    ]
    assert len(info.package_version) == 12  # the weights' digest


def test_an_nllb_folder_is_told_by_its_tokens_and_is_non_commercial(tmp_path: Path) -> None:
    folder = make_ct2_folder(
        tmp_path / "nllb", "nllb", tokenizer_class=None, extra={"bilingual_test_model.json": ""}
    )
    (folder / "bilingual_test_model.json").write_text('{"test_model": true}')
    info = import_model(settings(tmp_path), folder, ImportOptions(pairs=parse_pairs("ar-vi")))
    card = info.card
    assert (card.kind, card.pairs, card.licence) == ("nllb", (("ar", "vi"),), "CC-BY-NC-4.0")
    assert dict(card.language_tokens) == {"ar": "arb_Arab", "vi": "vie_Latn"}
    assert card.non_commercial and card.test_model
    assert non_commercial_notes([info]) == [
        f"model {info.name} is licensed CC-BY-NC-4.0: non-commercial use only"
    ]
    [line] = licence_lines([info, info])
    assert "CC-BY-NC-4.0 (non-commercial)" in line and "NLLB" in line


def test_a_marian_folder_reads_its_languages_from_the_tokenizer_config(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "marian", "marian", extra={"LICENSE": "MIT\n"})
    info = import_model(settings(tmp_path), folder, ImportOptions())
    card = info.card
    assert (info.name, card.kind, card.pairs) == ("opus-mt-ar-en", "marian", (("ar", "en"),))
    assert (card.source_tokenizer, card.target_tokenizer) == ("source.spm", "target.spm")
    assert dict(card.language_tokens) == {} and card.licence == "MIT"
    assert (info.path / "source.spm").is_file() and (info.path / "LICENSE").is_file()


def test_a_readme_licence_overrides_the_kind_default(tmp_path: Path) -> None:
    readme = "---\nlicense: cc-by-4.0\nlanguage: [ar, en]\n---\n# a model\n"
    folder = make_ct2_folder(tmp_path / "nllb", "nllb", extra={"README.md": readme})
    info = import_model(settings(tmp_path), folder, ImportOptions())
    assert (info.card.licence, info.card.non_commercial) == ("CC-BY-4.0", False)
    assert (info.path / "README.md").is_file()


def test_a_model_folder_with_no_tokenizer_is_refused(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100", tokenizer=False)
    message = refused(settings(tmp_path), folder)
    assert "m2m" in message and "no tokenizer" in message
    assert "sentencepiece.bpe.model" in message and "--copy_files" in message


def test_a_folder_vocabulary_that_does_not_match_its_model_is_refused(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100")
    vocabulary = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    (folder / "shared_vocabulary.json").write_text(json.dumps([*vocabulary, "▁extra"]))
    message = refused(settings(tmp_path), folder)
    assert "shared_vocabulary.json" in message and "does not match the model" in message
    assert f"({VOCAB_SIZE + 1} tokens)" in message and f"{VOCAB_SIZE} rows" in message
    (folder / "shared_vocabulary.json").write_text(json.dumps(vocabulary))
    (folder / "model.bin").write_bytes((folder / "model.bin").read_bytes()[:300])
    message = refused(settings(tmp_path), folder)
    assert "model.bin" in message and "truncated" in message


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100")
    message = refused(settings(tmp_path), folder, ImportOptions(kind="fairseq"))
    assert "unknown kind 'fairseq'" in message and "--kind" in message
    plain = make_ct2_folder(tmp_path / "plain", "m2m100", languages=(), tokenizer_class=None)
    message = refused(settings(tmp_path), plain)
    assert "cannot tell which kind" in message and "plain" in message and "--kind" in message


def test_pairs_naming_a_language_the_model_has_no_token_for_are_refused(
    tmp_path: Path,
) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100", languages=("ar", "en"))
    message = refused(settings(tmp_path), folder, ImportOptions(pairs=parse_pairs("ar-vi")))
    assert "no language token for vi" in message and "m2m" in message
    message = refused(settings(tmp_path), folder, ImportOptions(pairs=parse_pairs("vi-en")))
    assert "no language token for vi" in message


def test_quantization_applies_to_a_conversion_only(tmp_path: Path) -> None:
    folder = make_ct2_folder(tmp_path / "m2m", "m2m100")
    message = refused(settings(tmp_path), folder, ImportOptions(quantization="int8"))
    assert "--quantization" in message
    message = refused(
        settings(tmp_path), make_release(tmp_path / "r"), ImportOptions(quantization="int4")
    )
    assert "unknown quantization 'int4'" in message


# --------------------------------------------------------------------------- managed


def test_imports_replace_only_their_own_name(tmp_path: Path) -> None:
    s = settings(tmp_path)
    argos = install_package_file(s, make_package(tmp_path, version="1.0"))
    first = import_model(s, make_release(tmp_path / "rel"), ImportOptions())
    again = import_model(s, make_release(tmp_path / "rel"), ImportOptions(quantization="int16"))
    assert again.name == first.name
    # the argos package of the same pair stays: an import is another choice, not a version
    assert visible(s.packages_dir) == sorted([argos.name, first.name])
    meta = json.loads((again.path / "metadata.json").read_text(encoding="utf-8"))
    assert meta["imported_from"]["quantization"] == "int16"
    # and a new argos version of the pair replaces the argos package, not the import
    (tmp_path / "v2").mkdir()
    install_package_file(s, make_package(tmp_path / "v2", version="2.0"))
    assert first.name in visible(s.packages_dir) and argos.name not in visible(s.packages_dir)
    removed = remove_package(s, first.name)
    assert removed.kind == "marian" and first.name not in visible(s.packages_dir)
    assert leftovers(s.packages_dir) == []
    # a pair removes the packages that serve it alone, never a multilingual one
    m2m = import_model(s, make_ct2_folder(tmp_path / "m2m", "m2m100"), ImportOptions())
    assert m2m.pairs[0] == ("ar", "en")
    remove_package(s, "ar-en")
    assert visible(s.packages_dir) == [m2m.name]
    with pytest.raises(ModelNotInstalledError, match=r"m2m100-tiny \(ar->en, ar->vi"):
        remove_package(s, "ar-en")


def test_parse_pairs_and_language_codes() -> None:
    assert parse_pairs("ar-en, ar->vi,ar-en") == (("ar", "en"), ("ar", "vi"))
    for bad in ("ar", "ar-ar", "ar-xx"):
        with pytest.raises(ModelInstallError):
            parse_pairs(bad)
    assert [to_bilingual(c) for c in ("ara", "arz", "ara_Latn", "eng_Latn", "vie", "fin")] == [
        "ar",
        "ar",
        "ar",
        "en",
        "vi",
        None,
    ]
    tokens = {"arb_Latn": "arb_Latn", "ary_Arab": "ary_Arab", "arb_Arab": "arb_Arab"}
    assert choose_token("ar", tokens) == "arb_Arab"
    assert choose_token("ar", {">>arz<<": "arz", ">>ara<<": "ara"}) == ">>ara<<"


def test_licences_are_read_from_their_text() -> None:
    assert licence_from_text("---\nlicense: mit\n---\n") == "MIT"
    assert licence_from_text("Attribution-NonCommercial 4.0 International") == "CC-BY-NC-4.0"
    assert licence_from_text("Apache License\nVersion 2.0, January 2004") == "Apache-2.0"
    assert licence_from_text("CC-BY-NC-4.0\n\nThis model is offered under…") == "CC-BY-NC-4.0"
    assert licence_from_text("all rights reserved") is None


# --------------------------------------------------------------------------- CLI


def _cli(args: list[str], home: Path) -> Any:
    env = {"BILINGUAL_HOME": str(home), "COLUMNS": "250"}
    return CliRunner().invoke(app, args, env=env)


def test_the_cli_imports_lists_and_removes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = make_ct2_folder(tmp_path / "nllb", "nllb")
    imported = _cli(["models", "import", str(folder), "--pairs", "ar-en,ar-vi"], home)
    assert imported.exit_code == 0, imported.output
    assert "imported nllb-tiny (nllb: ar->en, ar->vi)" in imported.output
    assert "CC-BY-NC-4.0 is a non-commercial licence" in imported.output
    listed = _cli(["models", "list"], home).output
    assert "nllb" in listed and "CC-BY-NC-4.0 (non-commercial)" in listed
    assert "ar->en, ar->vi" in listed
    bad = _cli(["models", "import", str(folder), "--kind", "argos"], home)
    assert bad.exit_code == 2 and "bilingual models install" in bad.output
    bad = _cli(["models", "import", str(folder), "--quantization", "int4"], home)
    assert bad.exit_code == 2 and "int4" in bad.output
    bad = _cli(["models", "import", str(folder), "--pairs", "ar-xx"], home)
    assert bad.exit_code == 1 and "'xx'" in bad.output
    bad = _cli(["models", "import", str(tmp_path / "nowhere")], home)
    assert bad.exit_code == 1 and "nowhere" in bad.output
    assert _cli(["models", "remove", "nllb-tiny"], home).exit_code == 0
    assert "no models installed" in _cli(["models", "list"], home).output


def test_translate_says_a_non_commercial_licence_on_the_console(tmp_path: Path) -> None:
    """Said, never refused: the run succeeds and names the model and its licence."""
    marked = tmp_path / "nc.argosmodel"
    with zipfile.ZipFile(AR_EN) as src, zipfile.ZipFile(marked, "w") as zf:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename.endswith("/metadata.json"):
                metadata = json.loads(data)
                metadata["bilingual"] |= {"licence": "CC-BY-NC-4.0", "non_commercial": True}
                data = json.dumps(metadata).encode()
            zf.writestr(entry, data)
    home = tmp_path / "home"
    assert _cli(["models", "install", str(marked)], home).exit_code == 0
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("عقد الوزراء اجتماعا يوم 12 مارس.\n", encoding="utf-8")
    args = ["translate", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q"]
    result = _cli([*args, "--no-memory"], home)
    assert result.exit_code == 0, result.output
    assert "translate-ar_en-0_1_0 is licensed CC-BY-NC-4.0: non-commercial use only" in (
        result.output
    )


# a child that runs `bilingual models import` and stops (sleeps) in the conversion once
# it has written ``marker``
_SLOW_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ctranslate2.converters import OpusMTConverter

    marker = Path(sys.argv[1])
    real = OpusMTConverter.convert

    def slow(self, output_dir, *args, **kwargs):
        real(self, output_dir, *args, **kwargs)  # half done: model/ is written
        marker.write_text("converting")
        time.sleep(600)

    OpusMTConverter.convert = slow
    from bilingual.cli import main
    sys.argv = ["bilingual", "models", "import", sys.argv[2]]
    main()
    """
)


def test_an_import_killed_during_conversion_installs_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    release = zip_release(make_release(tmp_path / "rel"), tmp_path / "opus.zip")
    marker = tmp_path / "marker"
    env = {**os.environ, "BILINGUAL_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_IMPORT, str(marker), str(release)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the child never started converting: {child.communicate()[0]}")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    packages = home / "packages"
    assert leftovers(packages) != []  # the killed import's staging folder
    s = settings_for(home)
    assert installed_packages(s) == []
    info = import_model(s, release, ImportOptions())
    assert visible(packages) == [info.name]
    assert leftovers(packages) == []


def test_a_release_may_be_as_large_as_a_big_models_float32_weights() -> None:
    # a tc-big release keeps about 1 GB of float32 weights: past the 1 GiB of an argos
    # package, within the release limit; the ratio limit still stops a zip bomb
    from bilingual.models.archive import MAX_RELEASE_BYTES, MAX_UNPACKED_BYTES, check_sizes

    def entry(size: int, packed: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo("opus.bpe32k-bpe32k.transformer-big.model1.npz.best-perplexity.npz")
        info.file_size, info.compress_size = size, packed
        return info

    big = [entry(1_300_000_000, 1_200_000_000)]
    with pytest.raises(ModelInstallError):
        check_sizes("argos.zip", big)  # an argos package of that size is refused
    assert check_sizes("opus.zip", big, limit=MAX_RELEASE_BYTES) == 1_300_000_000
    assert MAX_RELEASE_BYTES > MAX_UNPACKED_BYTES
    with pytest.raises(ModelInstallError, match="limit is"):
        check_sizes(
            "opus.zip", [entry(MAX_RELEASE_BYTES + 1, MAX_RELEASE_BYTES)], limit=MAX_RELEASE_BYTES
        )
    with pytest.raises(ModelInstallError, match="zip bomb"):
        check_sizes("opus.zip", [entry(500_000_000, 1_000_000)], limit=MAX_RELEASE_BYTES)
