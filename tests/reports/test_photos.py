"""Photos: checked with Pillow, sealed original with its hash, metadata-free public copy and thumbnail."""
import hashlib
import io

import pytest
from PIL import Image

from app.core.storage import LocalStorage, get_storage
from app.extensions import db
from app.reports.models import ReportEvent, ReportPhoto
from app.reports.photos import PhotoError, gps_from_bytes, process_photo
from app.security.sealing import unseal_bytes
from tests.factories import make_user
from tests.reports.conftest import stored_keys
from tests.reports.factories_reports import WEST_POINT, form_data, jpeg_bytes

SONGKHLA = (7.198765, 100.595123)


def _post(client, world, files, **overrides):
    data = form_data(world, **overrides)
    data["photos"] = files
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


def test_exif_gps_is_read_from_a_jpeg_built_with_pillow():
    lat, lon = gps_from_bytes(jpeg_bytes(gps=SONGKHLA))
    assert lat == pytest.approx(SONGKHLA[0], abs=1e-5) and lon == pytest.approx(SONGKHLA[1], abs=1e-5)
    assert gps_from_bytes(jpeg_bytes(gps=(-33.5, -70.25))) == pytest.approx((-33.5, -70.25), abs=1e-5)
    assert gps_from_bytes(jpeg_bytes()) is None
    assert gps_from_bytes(b"not an image") is None


def test_photo_location_endpoint_reads_only_the_start_of_the_file(member_client, world):
    head = jpeg_bytes(gps=SONGKHLA, size=(2000, 1500))[:4096]
    response = member_client.post("/reports/api/photo-location", data={"photo": (io.BytesIO(head), "a.jpg")},
                                  content_type="multipart/form-data")
    assert response.get_json() == {"found": True, "lat": pytest.approx(SONGKHLA[0], abs=1e-5),
                                   "lon": pytest.approx(SONGKHLA[1], abs=1e-5)}
    response = member_client.post("/reports/api/photo-location",
                                  data={"photo": (io.BytesIO(jpeg_bytes()), "b.jpg")},
                                  content_type="multipart/form-data")
    assert response.get_json() == {"found": False}


def test_public_copy_has_no_exif_and_orientation_is_applied():
    original = jpeg_bytes(size=(800, 600), gps=SONGKHLA, orientation=6, description="Somchai 0812345678")
    processed = process_photo(original, "p.jpg")
    with Image.open(io.BytesIO(processed.public_jpeg)) as public:
        assert (public.width, public.height) == (600, 800)  # rotated upright
        assert len(public.getexif()) == 0 and "exif" not in public.info and "icc_profile" not in public.info
    assert b"Somchai" not in processed.public_jpeg and b"Somchai" not in processed.thumb_jpeg
    with Image.open(io.BytesIO(processed.thumb_jpeg)) as thumb:
        assert max(thumb.size) == 320 and len(thumb.getexif()) == 0
    assert processed.sha256 == hashlib.sha256(original).hexdigest()


def test_large_photo_is_scaled_to_1600_px():
    processed = process_photo(jpeg_bytes(size=(4000, 3000)), "big.jpg")
    assert (processed.width, processed.height) == (1600, 1200)


def test_png_with_transparency_is_accepted():
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, "PNG")
    assert process_photo(out.getvalue(), "t.png").width == 50


@pytest.mark.parametrize("data, message", [
    (b"this is a text file, renamed", "is not a photo we can read"),
    (jpeg_bytes(size=(600, 400))[:1500], "is damaged or incomplete"),
])
def test_non_images_and_truncated_jpegs_are_refused(data, message):
    with pytest.raises(PhotoError) as error:
        process_photo(data, "evidence.jpg")
    assert message in str(error.value.args[0])


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        process_photo(out.getvalue(), "a.gif")


def test_submit_with_photos_stores_sealed_original_and_public_copies(member_client, world, photo_dir):
    original = jpeg_bytes(gps=WEST_POINT, description="Somchai")
    response = _post(member_client, world, [(io.BytesIO(original), "one.jpg"),
                                            (io.BytesIO(jpeg_bytes(color=(0, 90, 0))), "two.jpg")])
    assert response.status_code == 302, response.get_data(as_text=True)
    photos = db.session.scalars(db.select(ReportPhoto).order_by(ReportPhoto.position)).all()
    assert [p.position for p in photos] == [0, 1]
    storage = get_storage()  # the folder, or the S3 store, this test runs against
    sealed = storage.read(photos[0].original_key)
    assert original not in sealed and b"Somchai" not in sealed
    assert unseal_bytes(sealed) == original
    assert photos[0].original_sha256 == hashlib.sha256(original).hexdigest()
    assert b"Somchai" not in storage.read(photos[0].public_key)

    thumb = member_client.get(f"/reports/photos/{photos[0].id}/thumb.jpg")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert "private" in thumb.headers["Cache-Control"]
    # The member who filed sees copies, never the original with its metadata.
    assert member_client.get(f"/reports/photos/{photos[0].id}/original").status_code == 403


def test_original_goes_to_routed_station_police_only_and_is_recorded(client, db, login, world, photo_dir):
    member = login(world.member)
    original = jpeg_bytes(gps=WEST_POINT)
    assert _post(member, world, [(io.BytesIO(original), "one.jpg")]).status_code == 302
    photo = db.session.scalar(db.select(ReportPhoto))
    member.post("/accounts/logout")
    officer = make_user(role="desk_officer", station=world.west)
    other = make_user(role="desk_officer", station=world.east)
    db.session.commit()
    login(other)
    assert client.get(f"/reports/photos/{photo.id}/original").status_code == 404
    client.post("/accounts/logout")
    login(officer)
    response = client.get(f"/reports/photos/{photo.id}/original")
    assert response.status_code == 200 and response.data == original
    assert response.headers["Cache-Control"] == "no-store"
    event = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "original_photo_viewed"))
    assert event.actor_id == officer.id and event.internal


def test_non_image_upload_is_refused_with_a_clear_message(member_client, world, photo_dir):
    response = _post(member_client, world, [(io.BytesIO(b"Dear diary, ..."), "holiday.jpg")])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="photos-err"' in page and "holiday.jpg" in page
    assert not any(key.endswith(".jpg") for key in stored_keys())


def test_truncated_jpeg_upload_is_refused(member_client, world, photo_dir):
    broken = jpeg_bytes(size=(640, 480))[:2000]
    response = _post(member_client, world, [(io.BytesIO(broken), "cut.jpg")])
    assert response.status_code == 400 and 'id="photos-err"' in response.get_data(as_text=True)


def test_oversized_upload_is_refused(app, member_client, world, photo_dir, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 2000)
    response = _post(member_client, world, [(io.BytesIO(jpeg_bytes(size=(400, 300))), "big.jpg")])
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "big.jpg" in page and "1 KB" in page
    assert 'id="photos-err"' in page


def test_more_than_five_photos_are_refused(member_client, world, photo_dir):
    files = [(io.BytesIO(jpeg_bytes(size=(20, 20))), f"{n}.jpg") for n in range(6)]
    response = _post(member_client, world, files)
    assert response.status_code == 400 and 'id="photos-err"' in response.get_data(as_text=True)


def test_without_a_place_the_photo_location_is_offered(member_client, world, photo_dir):
    response = _post(member_client, world, [(io.BytesIO(jpeg_bytes(gps=SONGKHLA)), "gps.jpg")], lat="", lon="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="7.198765"' in page and 'value="100.595123"' in page


def test_storage_refuses_keys_outside_its_folder(tmp_path):
    storage = LocalStorage(tmp_path)
    for key in ("../x", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(ValueError):
            storage.save(key, b"x")
    storage.save("2026/11/abc-public.jpg", b"data")
    assert storage.read("2026/11/abc-public.jpg") == b"data"
    storage.delete("2026/11/abc-public.jpg")
    storage.delete("2026/11/abc-public.jpg")
    assert not storage.exists("2026/11/abc-public.jpg")
