"""The routing benchmark script imports cleanly and runs end to end on the Songkhla data."""
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"


def load_bench():
    """Import bench/routing.py as a module without running it."""
    spec = importlib.util.spec_from_file_location("routing_bench", REPO / "bench" / "routing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_import_has_no_side_effects(capsys):
    bench = load_bench()
    assert callable(bench.main)
    assert capsys.readouterr().out == ""


def test_bench_runs_on_songkhla(capsys):
    geojson = DATA / "songkhla_tambon.geojson"
    if not geojson.is_file():
        pytest.skip(f"shared Songkhla data not found at {DATA} (it is not part of the repository)")
    assert load_bench().main(["--geojson", str(geojson), "--points", "300", "--naive-points", "20"]) == 0
    out = capsys.readouterr().out
    for figure in ("areas: 127", "index build:", "locate() steady", "route():", "naive loop", "speed-up"):
        assert figure in out
