"""Run a command the way an ordinary user would meet file permissions, also as root.

CI runs the suite as root, and root reads a mode-000 file and writes into a read-only
folder (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a permission test run as root proves
nothing. :func:`run_unprivileged` runs the bilingual CLI in a subprocess whose capability
bounding set lacks those two capabilities (``setpriv``, util-linux): it keeps uid 0, so
the files pytest made stay its own, but the kernel now checks their mode bits as it would
for their owner. A test that needs it is skipped where neither an ordinary user nor
``setpriv`` is available.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

DROPPED = "-dac_override,-dac_read_search"


def unprivileged_prefix() -> list[str]:
    """The argv prefix that drops the permission-bypassing capabilities (none needed for an
    ordinary user)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a permission test would prove nothing")
    return [setpriv, "--bounding-set", DROPPED, "--"]


def run_unprivileged(
    args: Sequence[str | Path], *, env: Mapping[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``bilingual ARGS`` in a subprocess without permission-bypassing capabilities."""
    argv = [*unprivileged_prefix(), sys.executable, "-m", "bilingual", *map(str, args)]
    full_env = {**os.environ, "COLUMNS": "100", **env}
    return subprocess.run(
        argv, env=full_env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def kernel_refuses(path: Path) -> bool:
    """Whether an unprivileged process is refused reading ``path`` (the premise of a test)."""
    probe = [*unprivileged_prefix(), sys.executable, "-c", f"open({str(path)!r}).close()"]
    return subprocess.run(probe, capture_output=True, check=False).returncode != 0
