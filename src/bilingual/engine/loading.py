"""Loading: an installed package opened as a :class:`~bilingual.engine.Translator`, for
one direction, with the adapter of its kind (:mod:`bilingual.engine.adapters`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bilingual.engine.adapters import REINSTALL, make_adapter, read_json
from bilingual.engine.decoding import DEFAULT_MAX_INPUT_TOKENS, DecodingOptions
from bilingual.engine.translator import Translator
from bilingual.models import PackageInfo, find_package, package_reading
from bilingual.models.card import TEST_MODEL_KEY, read_card

if TYPE_CHECKING:
    from bilingual.config import Settings

__all__ = ["TEST_MODEL_KEY", "is_test_model", "load_translator", "open_translator"]


def is_test_model(metadata: Mapping[str, Any]) -> bool:
    """Whether a package's ``metadata.json`` declares it a test model (not a real
    translation model). Only the JSON value ``true`` counts; ``false``, anything else or
    no key is a real model. argos itself ignores the ``bilingual`` key."""
    return read_card(metadata).test_model


def load_translator(
    settings: Settings,
    info: PackageInfo,
    *,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
    compute_type: str = "default",
    source: str | None = None,
    target: str | None = None,
) -> Translator:
    """Load an installed package for ``source -> target`` (default: the package's own
    pair; see :func:`open_translator`)."""
    import ctranslate2

    from bilingual.config import thread_split
    from bilingual.errors import ModelError

    source = source or info.from_code
    target = target or info.to_code
    adapter = make_adapter(info, source, target)
    metadata = read_json(info.path / "metadata.json")
    inter, intra = thread_split(settings.threads, settings.inter_threads, settings.device)
    try:
        # "default" keeps the weights' own type (float32 stays float32); "auto" could
        # quantize to int8 and change the output.
        model = ctranslate2.Translator(
            str(info.path / "model"),
            device=settings.device,
            inter_threads=inter,
            intra_threads=intra,
            compute_type=compute_type,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"cannot load the {source}->{target} model: {exc}", where=str(info.path), fix=REINSTALL
        ) from None
    return Translator(
        info,
        model,
        batch_size=settings.batch_size,
        decoding=DecodingOptions(beam_size=settings.beam_size, max_input_tokens=max_input_tokens),
        test_model=is_test_model(metadata),
        parallel_batches=inter,
        adapter=adapter,
        direction=(source, target),
    )


def open_translator(
    settings: Settings,
    from_code: str,
    to_code: str,
    *,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
    compute_type: str = "default",
) -> Translator:
    """Find the installed package for a pair and load it, once, for a whole run, for
    that direction (a multilingual package serves several).

    Raises :class:`~bilingual.errors.ModelNotInstalledError` (with the install commands)
    when no package is installed for the pair.
    """
    with package_reading(settings):  # an install waits: the files loaded are one package
        return load_translator(
            settings,
            find_package(settings, from_code, to_code),
            max_input_tokens=max_input_tokens,
            compute_type=compute_type,
            source=from_code,
            target=to_code,
        )
