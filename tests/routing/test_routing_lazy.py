"""route() decides first and writes its explanation on first use; the decision's content is unchanged."""
from app.routing import decision as decision_module
from tests.routing.test_routing_engine import DAY, IN_1, PAO, build, north_of


def test_explanation_is_written_once_on_first_use(monkeypatch):
    calls = []
    index = build()
    d = index.route(*IN_1, "crime", PAO, DAY)
    real = d.explainer
    object.__setattr__(d, "explainer", lambda lang, edge: calls.append(lang) or real(lang, edge))
    assert calls == []
    first = d.explanation_en
    assert d.explanation_en == first and calls == ["en"]
    assert "Test Station 1" in first and d.to_dict()["explanation_th"] == d.explanation_th
    assert "explainer" not in d.to_dict()
    assert decision_module.Decision.__dataclass_fields__["explainer"].compare is False


def test_nearest_beyond_the_limit_is_named_in_the_explanation():
    lat, lon = north_of(*IN_1, -45_000)
    d = build(areas=[]).route(lat, lon, "crime", PAO, DAY)
    assert d.rule == "outside_coverage"
    assert "the nearest is Test Station 1" in d.explanation_en
