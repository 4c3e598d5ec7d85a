"""The standard category tree every PAO starts with, and the service that seeds it."""
from app.categories.models import Category, Priority
from app.extensions import db

# (code, name_th, name_en, emergency, priority, ack_hours, act_hours, questions)
# Extra questions: {"code", "label_th", "label_en", "type": text|number|boolean|choice, "choices": [...]}
_VEHICLE = {"code": "vehicle", "label_th": "ยานพาหนะที่เกี่ยวข้อง (ทะเบียน สี ยี่ห้อ)",
            "label_en": "Vehicles involved (plate, colour, make)", "type": "text"}
_TIME_PATTERN = {"code": "time_pattern", "label_th": "มักเกิดช่วงเวลาใด", "label_en": "When does it usually happen",
                 "type": "choice", "choices": [
                     {"value": "morning", "th": "เช้า", "en": "Morning"},
                     {"value": "afternoon", "th": "บ่าย", "en": "Afternoon"},
                     {"value": "evening", "th": "เย็น/ค่ำ", "en": "Evening"},
                     {"value": "night", "th": "กลางดึก", "en": "Late night"}]}
_INJURED = {"code": "injured", "label_th": "มีผู้บาดเจ็บหรือไม่", "label_en": "Was anyone injured",
            "type": "boolean"}

CATEGORY_TREE = [
    ("crime", "อาชญากรรม", "Crime", False, Priority.NORMAL, 24, 168, [], [
        ("crime.theft", "ลักทรัพย์", "Theft", False, Priority.NORMAL, 24, 168, [_VEHICLE]),
        ("crime.burglary", "บุกรุก/งัดแงะบ้าน", "Burglary", True, Priority.HIGH, 12, 72, [_TIME_PATTERN]),
        ("crime.assault", "ทำร้ายร่างกาย", "Assault", True, Priority.HIGH, 4, 48, [_INJURED]),
        ("crime.gambling", "การพนัน", "Gambling", False, Priority.NORMAL, 48, 336, [_TIME_PATTERN]),
        ("crime.vandalism", "ทำลายทรัพย์สิน", "Vandalism", False, Priority.LOW, 48, 336, []),
        ("crime.suspicious", "พฤติกรรมน่าสงสัย", "Suspicious activity", False, Priority.NORMAL, 24, 168,
         [_TIME_PATTERN, _VEHICLE]),
        ("crime.other", "อาชญากรรมอื่น ๆ", "Other crime", False, Priority.NORMAL, 24, 168, []),
    ]),
    ("drugs", "ยาเสพติด", "Drugs", False, Priority.HIGH, 24, 168, [], [
        ("drugs.dealing", "การค้ายาเสพติด", "Drug dealing", False, Priority.HIGH, 24, 168,
         [_TIME_PATTERN, _VEHICLE]),
        ("drugs.use_hotspot", "แหล่งมั่วสุมเสพยา", "Drug use hotspot", False, Priority.HIGH, 24, 168,
         [_TIME_PATTERN]),
        ("drugs.other", "ยาเสพติดอื่น ๆ", "Other drug concern", False, Priority.NORMAL, 48, 336, []),
    ]),
    ("traffic", "จราจร", "Traffic", False, Priority.NORMAL, 48, 336, [], [
        ("traffic.accident_blackspot", "จุดเกิดอุบัติเหตุบ่อย", "Accident black spot", False,
         Priority.NORMAL, 48, 336, [_INJURED]),
        ("traffic.street_racing", "แข่งรถในทาง", "Street racing", False, Priority.HIGH, 24, 168,
         [_TIME_PATTERN]),
        ("traffic.illegal_parking", "จอดรถผิดกฎหมาย", "Illegal parking", False, Priority.LOW, 72, 336,
         [_VEHICLE]),
        ("traffic.broken_signal", "สัญญาณไฟจราจรชำรุด", "Broken traffic signal", False,
         Priority.NORMAL, 24, 120, []),
        ("traffic.drunk_driving", "เมาแล้วขับ", "Drunk driving", True, Priority.HIGH, 4, 48, [_VEHICLE]),
    ]),
]


def seed_categories():
    """Create the standard category tree where missing; existing categories are left as they are."""
    existing = {c.code: c for c in db.session.scalars(db.select(Category))}
    created = 0
    for order, (code, th, en, emergency, prio, ack, act, questions, children) in enumerate(CATEGORY_TREE):
        parent = existing.get(code)
        if parent is None:
            parent = _category(code, th, en, emergency, prio, ack, act, questions, order, None)
            created += 1
        for child_order, child in enumerate(children):
            if child[0] not in existing:
                _category(*child, order * 100 + child_order, parent)
                created += 1
    db.session.flush()
    return created


def _category(code, th, en, emergency, prio, ack, act, questions, order, parent):
    category = Category(code=code, name_th=th, name_en=en, emergency=emergency, default_priority=prio,
                        sla_ack_hours=ack, sla_act_hours=act, questions=questions, sort_order=order,
                        parent=parent)
    db.session.add(category)
    return category
