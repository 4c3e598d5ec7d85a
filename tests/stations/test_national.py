"""National admin areas: `flask adminareas import FILE [--province]`, `flask pao create-all`, and a second
province onboarded end to end from the national tambon file next to Songkhla, each PAO blind to the other."""
import csv
import json
import re

from shapely.geometry import box, mapping

from app.extensions import db
from app.reports.models import Report
from app.stations.adminareas import iter_features
from app.stations.models import AdminArea, Pao
from tests.accounts.helpers import enrol
from tests.conftest import require_service
from tests.factories import make_category, make_pao
from tests.reports.factories_reports import form_data

PASSWORD = "my-own-long-secret-7"


def _feature(tambon, amphoe, province, name_en, x):
    props = {"tambon_code": tambon, "tambon_th": f"ต{tambon}", "tambon_en": f"T{tambon}", "amphoe_code": amphoe,
             "amphoe_th": f"อ{amphoe}", "amphoe_en": f"A{amphoe}", "province_code": province,
             "province_th": f"จ{name_en}", "province_en": name_en}
    return {"type": "Feature", "properties": props, "geometry": mapping(box(x, 7.0, x + 0.1, 7.1))}


def _national_like(tmp_path):
    """A file laid out like the national one: one feature per line."""
    features = [_feature("100101", "1001", "10", "Bangkok", 100.0), _feature("830101", "8301", "83", "Phuket", 98.3),
                _feature("830201", "8302", "83", "Phuket", 98.4), _feature("900101", "9001", "90", "Songkhla", 100.5)]
    path = tmp_path / "national.geojson"
    lines = ['{"type":"FeatureCollection","features":[']
    lines += [json.dumps(f, ensure_ascii=False) + ("," if i < len(features) - 1 else "")
              for i, f in enumerate(features)]
    path.write_text("\n".join(lines + ["]}"]) + "\n", encoding="utf-8")
    return path


def _tambon_codes():
    return sorted(db.session.scalars(db.select(AdminArea.code).where(AdminArea.level == "tambon")))


def test_import_one_province_of_a_national_file(app, db, tmp_path):
    path = _national_like(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["adminareas", "import", str(path), "--province", "83"])
    assert result.exit_code == 0, result.output
    assert _tambon_codes() == ["830101", "830201"]
    refused = runner.invoke(args=["adminareas", "import", str(path), "--province", "99"])
    assert refused.exit_code != 0 and "no tambon of province 99" in refused.output
    assert runner.invoke(args=["adminareas", "import", str(path)]).exit_code == 0
    assert len(_tambon_codes()) == 4


def test_create_all_makes_one_pao_per_province_but_bangkok(app, db, tmp_path):
    make_pao(code="skp", prefix="SONGKHLA")  # takes the prefix the name would give Phuket's neighbour
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["adminareas", "import", str(_national_like(tmp_path))]).exit_code == 0
    db.session.execute(db.update(Pao).where(Pao.code == "skp").values(province_code="90"))
    db.session.commit()
    result = runner.invoke(args=["pao", "create-all"])
    assert result.exit_code == 0, result.output
    paos = {p.province_code: p for p in db.session.scalars(db.select(Pao))}
    assert set(paos) == {"83", "90"} and paos["90"].code == "skp"  # no Bangkok, Songkhla's kept
    phuket = paos["83"]
    assert (phuket.code, phuket.reference_prefix, phuket.province_th, phuket.province_en) == (
        "phuket", "PHUKET", "จPhuket", "Phuket")
    again = runner.invoke(args=["pao", "create-all"])
    assert again.exit_code == 0 and "0 PAOs created, 2 provinces already had one" in again.output
    assert db.session.scalar(db.select(db.func.count(Pao.id))) == 2


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _onboard(runner, tmp_path, national, province, stations):
    """Import one province's tambon, stations (one per amphoe group), areas and MOUs through the CLI."""
    assert runner.invoke(args=["adminareas", "import", str(national), "--province", province]).exit_code == 0
    features = [f for f in iter_features(national) if f["properties"]["province_code"] == province]
    subset = tmp_path / f"tambon_{province}.geojson"
    subset.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    amphoes = sorted({f["properties"]["amphoe_code"] for f in features})
    owner = {a: stations[i % len(stations)] for i, a in enumerate(amphoes)}
    label = {}
    for f in features:
        label.setdefault(owner[f["properties"]["amphoe_code"]], f["properties"])
    rows = [(code, f"สภ.{code}", f"{code} station", label[code]["label_lat"], label[code]["label_lon"], "076000000")
            for code in stations]
    for args in (["stations", "import", str(_write_csv(tmp_path / f"st{province}.csv",
                                                         ["code", "name_th", "name_en", "lat", "lon", "phone"], rows))],
                 ["areas", "import", str(subset), "--key", "tambon_code", "--map",
                  str(_write_csv(tmp_path / f"map{province}.csv", ["tambon_code", "station_code"],
                                 [(f["properties"]["tambon_code"], owner[f["properties"]["amphoe_code"]])
                                  for f in features]))]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return features, owner


def _errors(response):
    return re.findall(r'class="[^"]*(?:error|warning)[^"]*"[^>]*>([^<]+)', response.get_data(as_text=True))


def _accept(client, link, username):
    token = re.search(r"/accounts/invite/(\S+)", link).group(1)
    return client.post(f"/accounts/invite/{token}",
                       data={"username": username, "new_password": PASSWORD, "confirm": PASSWORD})


def test_onboard_phuket_next_to_songkhla_from_the_national_file(app, db, tmp_path, shared_data):
    national = shared_data / "thailand_tambon.geojson"
    if not national.is_file():
        require_service(f"the national tambon file {national}")
    runner = app.test_cli_runner()
    world = type("World", (), {"category": make_category(code="theft", parent=make_category(code="crime"))})
    db.session.commit()
    phuket_features, phuket_owner = _onboard(runner, tmp_path, national, "83", ["phuket_city", "thalang"])
    songkhla_features, _ = _onboard(runner, tmp_path, national, "90", ["hat_yai"])
    assert len(phuket_features) == 17 and len(songkhla_features) == 127
    result = runner.invoke(args=["pao", "create-all"])
    assert result.exit_code == 0 and "2 PAOs created" in result.output, result.output
    for pao, station in (("phuket", "phuket_city"), ("songkhla", "hat_yai")):
        mous = _write_csv(tmp_path / f"mou_{pao}.csv", ["station_code", "signed_on", "effective_from", "expires_on",
                                                        "categories", "status"],
                          [(s, "2024-01-01", "2024-01-01", "", "all", "active")
                           for s in (["phuket_city", "thalang"] if pao == "phuket" else ["hat_yai"])])
        for args in (["mou", "import", str(mous), "--pao", pao], ["pao", "set-coordinator", pao, station]):
            outcome = runner.invoke(args=args)
            assert outcome.exit_code == 0, outcome.output

    # people join by invitation only: a member in each PAO, a desk officer at Thalang with two-factor
    links = {}
    for pao in ("phuket", "songkhla"):
        out = runner.invoke(args=["users", "invite", "--role", "council_member", "--pao", pao, "--name", pao])
        assert out.exit_code == 0, out.output
        links[pao] = out.output
    out = runner.invoke(args=["users", "invite", "--role", "desk_officer", "--pao", "phuket", "--station", "thalang",
                              "--name", "Desk Thalang"])
    links["desk"] = out.output
    members = {pao: app.test_client() for pao in ("phuket", "songkhla")}
    for pao, member in members.items():
        assert _accept(member, links[pao], f"member_{pao}").status_code == 302
    desk = app.test_client()
    assert _accept(desk, links["desk"], "desk_thalang").headers["Location"].endswith("/accounts/2fa/setup")
    enrol(desk)

    # a Phuket report at a Thalang tambon goes to Thalang, numbered by Phuket's PAO
    thalang_tambon = next(f["properties"] for f in phuket_features
                          if phuket_owner[f["properties"]["amphoe_code"]] == "thalang")
    data = form_data(world, lat=str(thalang_tambon["label_lat"]), lon=str(thalang_tambon["label_lon"]),
                     confirm_place="y")
    filed = members["phuket"].post("/reports/new?lang=en", data=data)
    assert filed.status_code == 302, _errors(filed)
    songkhla_tambon = songkhla_features[0]["properties"]
    data = form_data(world, lat=str(songkhla_tambon["label_lat"]), lon=str(songkhla_tambon["label_lon"]),
                     confirm_place="y")
    assert members["songkhla"].post("/reports/new", data=data).status_code == 302
    phuket_report, songkhla_report = db.session.scalars(db.select(Report).order_by(Report.id)).all()
    assert phuket_report.station.code == "thalang" and phuket_report.reference_number.startswith("PHUKET-")
    assert songkhla_report.station.code == "hat_yai" and songkhla_report.reference_number.startswith("SONGKHLA-")

    # side by side, neither PAO sees the other's report
    assert members["songkhla"].get(f"/reports/{phuket_report.id}").status_code in (403, 404)
    assert members["phuket"].get(f"/reports/{songkhla_report.id}").status_code in (403, 404)
    assert songkhla_report.reference_number not in members["phuket"].get("/reports/mine").get_data(as_text=True)
    assert phuket_report.reference_number not in members["songkhla"].get("/reports/mine").get_data(as_text=True)
    queue = desk.get("/triage/").get_data(as_text=True)
    assert phuket_report.reference_number in queue and songkhla_report.reference_number not in queue
