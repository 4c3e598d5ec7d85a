"""The province a PAO serves: set from the imported tambon or by name, from the CLI; the demo seeds Songkhla."""
import json

from shapely.geometry import box, mapping

from app.stations.adminareas import import_admin_areas
from app.stations.models import Pao
from tests.factories import make_pao


def _one_tambon(tmp_path):
    props = {"tambon_code": "900101", "tambon_th": "บ่อยาง", "tambon_en": "Bo Yang", "amphoe_code": "9001",
             "amphoe_th": "เมืองสงขลา", "amphoe_en": "Mueang Songkhla", "province_code": "90",
             "province_th": "สงขลา", "province_en": "Songkhla"}
    path = tmp_path / "tambon.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(box(100.5, 7.1, 100.6, 7.3)), "properties": props}]}))
    import_admin_areas(path)


def test_set_province_takes_the_names_from_the_imported_tambon(app, db, tmp_path):
    pao = make_pao(code="skp", prefix="SKP")
    _one_tambon(tmp_path)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["pao", "set-province", "skp", "90"])
    assert result.exit_code == 0, result.output
    pao = db.session.get(Pao, pao.id)
    db.session.refresh(pao)
    assert (pao.province_code, pao.province_th, pao.province_en) == ("90", "สงขลา", "Songkhla")


def test_a_province_without_tambon_needs_its_names(app, db):
    pao = make_pao(code="nkp", prefix="NKP")
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["pao", "set-province", "nkp", "48"])
    assert refused.exit_code == 2 and "--name-th" in refused.output
    bad = runner.invoke(args=["pao", "set-province", "nkp", "Nakhon"])
    assert bad.exit_code == 2 and "two digits" in bad.output
    ok = runner.invoke(args=["pao", "set-province", "nkp", "48", "--name-th", "นครพนม", "--name-en", "Nakhon Phanom"])
    assert ok.exit_code == 0, ok.output
    db.session.refresh(pao)
    assert pao.province_en == "Nakhon Phanom"
