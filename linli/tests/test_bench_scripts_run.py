"""Every benchmark script is run by a test at a small size, so none can rot unnoticed.

``bench/access_match.py`` had stopped starting and nothing noticed: no test ran it. This is the tripwire:
each script in ``bench/`` (Python or shell) must be named by a test module that runs it, and each Python
script must start from a shell.
"""

from __future__ import annotations

import re
import sys

import pytest

from linli.tests import shell

ROOT = shell.ROOT


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "linli").rglob("test_*.py"))


def test_every_bench_script_is_named_by_a_test():
    sources = _test_sources()
    scripts = sorted(p for p in (ROOT / "bench").iterdir() if p.suffix in (".py", ".sh"))
    assert len(scripts) >= 15
    unrun = [
        p.name
        for p in scripts
        if p.name not in sources and not re.search(rf"\bbench(\.| import ){re.escape(p.stem)}\b", sources)
    ]
    assert unrun == [], f"bench scripts no test runs: {unrun}"


# What each script is started with here: ``--help`` parses its arguments after every import it needs at
# start-up (Django's settings among them). intake_setup.py writes a user and a token, so it runs in
# linli/demands/tests/test_bench_intake.py instead; roster_plan.py takes sizes and runs one tiny plan.
START = {"roster_plan.py": ["1", "1", "40"]}
NOT_STARTED_HERE = {"intake_setup.py"}
PYTHON_SCRIPTS = sorted(p.name for p in (ROOT / "bench").glob("*.py") if p.name not in NOT_STARTED_HERE)


@pytest.mark.parametrize("name", PYTHON_SCRIPTS)
def test_each_python_script_starts_from_a_shell(name, tmp_path):
    out = shell.run(
        [sys.executable, str(ROOT / "bench" / name), *START.get(name, ["--help"])],
        cwd=tmp_path,
        timeout=120,
        LINLI_DATA_DIR=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip(), "printed nothing"
