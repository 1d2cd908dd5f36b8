"""Every shell command in README.md runs as written on a fresh clone.

The ```bash blocks are taken from README.md in order and run, section by section (a ``##``
heading starts a new shell in the clone's root; a ``cd`` holds until the section ends), in
a copy of the git-tracked files with ``.venv`` pointing at the virtual environment the
tests run in, a fresh ``BILINGUAL_HOME`` (the README's own install command fills it) and
that environment's ``bin`` first on ``PATH`` (for a bare ``bilingual`` or ``python3``).
Each command must exit 0. Only the commands in :data:`SKIPPED` are not run, each for the
reason given there; a command naming ``../shared`` runs only where ``../shared`` exists.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED

SKIPPED = {
    # command prefix: why the test does not run it
    "python3 -m venv": "makes a virtual environment; the test runs in one already",
    ".venv/bin/pip install": "installs from the package index (network)",
    "/tmp/venv-train/": "builds the test models: torch from the network, about 30 minutes",
    "python3 tools/build_kind_models.py --bench": "writes ~1.2 GB of random-weight bench models",
    "bilingual models install ar en": "downloads from the argos index (network)",
    "bilingual models install https://": "downloads from a URL (network; the URL is elided)",
    "bilingual models install /media/usb/": "the path stands for the user's own copy",
    ".venv/bin/ruff": "lint and format checks: the CI runs them on the repository itself",
    ".venv/bin/mypy": "the type check: the CI runs it on the repository itself",
    ".venv/bin/pytest": "the whole test suite, this test included",
}


def readme_commands() -> list[tuple[str, list[str]]]:
    """(section heading, its shell command lines) for every section with a bash block."""
    sections: list[tuple[str, list[str]]] = []
    heading, in_bash = "(top)", False
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if not in_bash and re.match(r"##? ", line):
            heading = line.lstrip("# ").strip()
        elif line.strip() == "```bash":
            in_bash = True
            if not sections or sections[-1][0] != heading:
                sections.append((heading, []))
        elif line.strip() == "```" and in_bash:
            in_bash = False
        elif in_bash and line.strip() and not line.lstrip().startswith("#"):
            sections[-1][1].append(line.strip())
    return sections


def _skip_reason(part: str) -> str | None:
    command = re.sub(r"^\.\./", "", part.strip())  # ../.venv/bin/x is .venv/bin/x
    for prefix, reason in SKIPPED.items():
        if command.startswith(prefix) or part.strip().startswith(prefix):
            return reason
    return None


def _script(lines: list[str], used: set[str], skipped: list[str]) -> str:
    """A bash script running ``lines`` in order, stopping at the first that fails; the
    parts of a ``&&`` chain in :data:`SKIPPED` are left out of it."""
    out = ["set -u"]
    for line in lines:
        parts = line.split(" && ")
        kept = []
        for part in parts:
            reason = _skip_reason(part)
            if reason is None:
                kept.append(part)
                continue
            used.update(p for p in SKIPPED if SKIPPED[p] == reason)
            skipped.append(f"{part.strip()}  ({reason})")
        if not kept:
            continue
        command = " && ".join(kept)
        out.append(command)  # its own line: a trailing "# comment" ends here
        out.append(
            f'rc=$?; if [ $rc -ne 0 ]; then echo "README command exited $rc: "'
            f"{shlex.quote(command)} >&2; exit 1; fi"
        )
    return "\n".join(out) + "\n"


def _clone(dest: Path) -> Path:
    """The git-tracked files of the repository, as a fresh clone has them."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: no list of the files a fresh clone holds")
    for name in listed.decode("utf-8", "surrogateescape").split("\0"):
        source = REPO / name
        if name and source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # the README's ".venv/bin/..." is the environment these tests run in
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    if SHARED.is_dir():
        (dest.parent / "shared").symlink_to(SHARED, target_is_directory=True)
    return dest


def test_the_readme_has_commands_and_every_skip_is_used() -> None:
    sections = readme_commands()
    assert sum(len(lines) for _, lines in sections) >= 10
    used: set[str] = set()
    for _, lines in sections:
        _script(lines, used, [])
    assert used == set(SKIPPED), f"SKIPPED entries no README command needs: {set(SKIPPED) - used}"


def test_every_readme_command_runs_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = _clone(tmp_path / "clone")
    home = tmp_path / "home"
    env = {
        **os.environ,
        "BILINGUAL_HOME": str(home),
        "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "BILINGUAL_THREADS": "2",
    }
    for name in [
        k
        for k in env
        if k.startswith("BILINGUAL_") and k not in ("BILINGUAL_HOME", "BILINGUAL_THREADS")
    ]:
        del env[name]  # the README's commands run with the defaults a new user has
    skipped: list[str] = []
    ran = 0
    for heading, lines in readme_commands():
        needs_shared = [line for line in lines if "../shared" in line]
        if needs_shared and not SHARED.is_dir():
            skipped.extend(f"{line}  (needs ../shared, absent)" for line in needs_shared)
            lines = [line for line in lines if "../shared" not in line]
        script = _script(lines, set(), skipped)
        ran += script.count("rc=$?")
        proc = subprocess.run(
            ["bash", "-c", script],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 0, (
            f"section {heading!r} of README.md:\n{proc.stderr[-3000:]}\n{proc.stdout[-2000:]}"
        )
    assert ran >= 10, f"only {ran} README commands ran; skipped: {skipped}"
    assert (clone / "desk" / "output" / "001_sample_meeting.docx").is_file()
