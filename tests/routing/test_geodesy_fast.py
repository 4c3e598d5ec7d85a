"""geodesic_m's closed form (Lambert) against geopy's exact algorithm, at the distances routing measures."""
import random

from geopy.distance import geodesic

from app.routing.geodesy import geodesic_m


def test_lambert_agrees_with_the_exact_geodesic_over_thailand():
    rng = random.Random(7)
    for _ in range(3000):
        lat1, lon1 = rng.uniform(5.5, 20.5), rng.uniform(97.3, 105.7)
        spread = rng.choice([0.0001, 0.001, 0.01, 0.1, 0.5, 2.0])
        lat2, lon2 = lat1 + rng.uniform(-spread, spread), lon1 + rng.uniform(-spread, spread)
        exact = geodesic((lat1, lon1), (lat2, lon2)).meters
        got = geodesic_m(lat1, lon1, lat2, lon2)
        assert abs(got - exact) <= max(0.1, exact * 3e-6), (lat1, lon1, lat2, lon2, got, exact)


def test_long_lines_and_poles_use_the_exact_algorithm():
    for a, b in (((13.75, 100.5), (51.5, -0.12)), ((89.95, 10.0), (89.0, 100.0)), ((0.0, 0.0), (0.0, 179.5))):
        assert abs(geodesic_m(*a, *b) - geodesic(a, b).meters) < 1e-6
    assert geodesic_m(7.0, 100.0, 7.0, 100.0) == 0.0
