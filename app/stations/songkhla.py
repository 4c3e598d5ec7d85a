"""Songkhla's 31 provincial police stations, for the pilot and the demo.

Codes are our own slugs (no official unit code was found). Points are APPROXIMATE: the
representative point of the tambon the station is named after, or of its amphoe-seat tambon,
not the station building. Five stations have no known location and stay unlocated.
Source: shared/data/README.md (HDX COD-AB boundaries, CC BY-IGO; station list unverified).
"""

# (code, name_th, name_en, lat, lon)
SONGKHLA_STATIONS = (
    ("mueang_songkhla", "สถานีตำรวจภูธรเมืองสงขลา (สภ.เมืองสงขลา)", "Mueang Songkhla Provincial Police Station", 7.20091, 100.594294),
    ("muang_ngam", "สถานีตำรวจภูธรม่วงงาม (สภ.ม่วงงาม)", "Muang Ngam Provincial Police Station", 7.346222, 100.476942),
    ("ranot", "สถานีตำรวจภูธรระโนด (สภ.ระโนด)", "Ranot Provincial Police Station", 7.750224, 100.306376),
    ("khlong_daen", "สถานีตำรวจภูธรคลองแดน (สภ.คลองแดน)", "Khlong Daen Provincial Police Station", 7.909293, 100.315294),
    ("sam_bo", "สถานีตำรวจภูธรสามบ่อ (สภ.สามบ่อ)", "Sam Bo Provincial Police Station", None, None),
    ("sathing_phra", "สถานีตำรวจภูธรสทิงพระ (สภ.สทิงพระ)", "Sathing Phra Provincial Police Station", 7.469164, 100.43672),
    ("chumphon", "สถานีตำรวจภูธรชุมพล (สภ.ชุมพล)", "Chumphon Provincial Police Station", 7.603252, 100.387015),
    ("krasae_sin", "สถานีตำรวจภูธรกระแสสินธุ์ (สภ.กระแสสินธุ์)", "Krasae Sin Provincial Police Station", 7.597005, 100.327595),
    ("singhanakhon", "สถานีตำรวจภูธรสิงหนคร (สภ.สิงหนคร)", "Singhanakhon Provincial Police Station", 7.214302, 100.527115),
    ("pak_ro", "สถานีตำรวจภูธรปากรอ (สภ.ปากรอ)", "Pak Ro Provincial Police Station", 7.2743, 100.43651),
    ("hat_yai", "สถานีตำรวจภูธรหาดใหญ่ (สภ.หาดใหญ่)", "Hat Yai Provincial Police Station", 7.015455, 100.475071),
    ("thung_tam_sao", "สถานีตำรวจภูธรทุ่งตำเสา (สภ.ทุ่งตำเสา)", "Thung Tam Sao Provincial Police Station", 6.919963, 100.270469),
    ("thung_lung", "สถานีตำรวจภูธรทุ่งลุง (สภ.ทุ่งลุง)", "Thung Lung Provincial Police Station", None, None),
    ("khu_tao", "สถานีตำรวจภูธรคูเต่า (สภ.คูเต่า)", "Khu Tao Provincial Police Station", 7.130462, 100.480401),
    ("kho_hong", "สถานีตำรวจภูธรคอหงส์ (สภ.คอหงส์)", "Kho Hong Provincial Police Station", 7.011858, 100.508295),
    ("rattaphum", "สถานีตำรวจภูธรรัตภูมิ (สภ.รัตภูมิ)", "Rattaphum Provincial Police Station", 7.076348, 100.283846),
    ("na_mom", "สถานีตำรวจภูธรนาหม่อม (สภ.นาหม่อม)", "Na Mom Provincial Police Station", 6.96886, 100.523706),
    ("khuan_niang", "สถานีตำรวจภูธรควนเนียง (สภ.ควนเนียง)", "Khuan Niang Provincial Police Station", 7.17969, 100.367225),
    ("bang_klam", "สถานีตำรวจภูธรบางกล่ำ (สภ.บางกล่ำ)", "Bang Klam Provincial Police Station", 7.133755, 100.445496),
    ("na_thawi", "สถานีตำรวจภูธรนาทวี (สภ.นาทวี)", "Na Thawi Provincial Police Station", 6.709836, 100.773011),
    ("sathon", "สถานีตำรวจภูธรสะท้อน (สภ.สะท้อน)", "Sathon Provincial Police Station", 6.595296, 100.749074),
    ("thepha", "สถานีตำรวจภูธรเทพา (สภ.เทพา)", "Thepha Provincial Police Station", 6.833596, 100.94094),
    ("huai_pling", "สถานีตำรวจภูธรห้วยปลิง (สภ.ห้วยปลิง)", "Huai Pling Provincial Police Station", None, None),
    ("saba_yoi", "สถานีตำรวจภูธรสะบ้าย้อย (สภ.สะบ้าย้อย)", "Saba Yoi Provincial Police Station", 6.635051, 100.928843),
    ("ban_not", "สถานีตำรวจภูธรบ้านโหนด (สภ.บ้านโหนด)", "Ban Not Provincial Police Station", 6.639279, 101.061119),
    ("chana", "สถานีตำรวจภูธรจะนะ (สภ.จะนะ)", "Chana Provincial Police Station", 6.910836, 100.747608),
    ("khuan_mit", "สถานีตำรวจภูธรควนมีด (สภ.ควนมีด)", "Khuan Mit Provincial Police Station", None, None),
    ("sadao", "สถานีตำรวจภูธรสะเดา (สภ.สะเดา)", "Sadao Provincial Police Station", 6.64431, 100.39395),
    ("padang_besar", "สถานีตำรวจภูธรปาดังเบซาร์ (สภ.ปาดังเบซาร์)", "Padang Besar Provincial Police Station", 6.735082, 100.268581),
    ("khlong_ngae", "สถานีตำรวจภูธรคลองแงะ (สภ.คลองแงะ)", "Khlong Ngae Provincial Police Station", None, None),
    ("khlong_hoi_khong", "สถานีตำรวจภูธรคลองหอยโข่ง (สภ.คลองหอยโข่ง)", "Khlong Hoi Khong Provincial Police Station", 6.843291, 100.319756),
)
