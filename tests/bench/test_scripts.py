"""Every bench script starts from a clean interpreter, and none can shadow a standard-library module.

A script run as `python bench/x.py` has bench/ first on its import path, so a bench/queue.py once
replaced the standard `queue` for every import that needed it and bench/routing.py crashed.
"""
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_"))


def test_no_bench_file_is_named_like_a_standard_library_module():
    shadows = [p.name for p in BENCH.glob("*.py") if p.stem in sys.stdlib_module_names]
    assert shadows == [], f"rename these: {shadows}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_each_bench_script_starts_from_a_clean_interpreter(script):
    done = subprocess.run([sys.executable, "-I", str(script), "--help"], capture_output=True, text=True,
                          timeout=120, cwd=BENCH.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "usage" in done.stdout.lower()
