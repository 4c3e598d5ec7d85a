"""The routing benchmark script imports cleanly and runs end to end on the Songkhla data."""
from pathlib import Path

from tests.benchutil import load_bench
from tests.conftest import shared_data_dir

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"


def test_bench_import_has_no_side_effects(capsys):
    bench = load_bench("routing")
    assert callable(bench.main)
    assert capsys.readouterr().out == ""


def test_bench_runs_on_songkhla(capsys):
    geojson = DATA / "songkhla_tambon.geojson"
    if not geojson.is_file():
        shared_data_dir()
    assert load_bench("routing").main(["--geojson", str(geojson), "--points", "300", "--naive-points", "20"]) == 0
    out = capsys.readouterr().out
    for figure in ("areas: 127", "index build:", "locate() steady", "route():", "naive loop", "speed-up"):
        assert figure in out
