"""The provinces known from the imported tambon, and one PAO per province created from them."""
import logging
import re
from dataclasses import dataclass, field

from app.extensions import db
from app.stations.models import AdminArea, Pao
from app.stations.services import create_pao, set_province

log = logging.getLogger(__name__)

# Bangkok is governed by the BMA: it has no Provincial Administrative Organisation.
NO_PAO_PROVINCES = frozenset({"10"})


@dataclass
class CreatedPaos:
    created: list = field(default_factory=list)   # PAOs made now
    existing: list = field(default_factory=list)  # provinces that already had a PAO (nothing changed)


def imported_provinces():
    """Return (code, name_th, name_en, tambon count) of every province with imported tambon, by code."""
    rows = db.session.execute(
        db.select(AdminArea.province_code, db.func.min(AdminArea.province_th), db.func.min(AdminArea.province_en),
                  db.func.count(AdminArea.id))
        .where(AdminArea.level == "tambon", AdminArea.province_code.is_not(None))
        .group_by(AdminArea.province_code).order_by(AdminArea.province_code)).all()
    return [tuple(row) for row in rows]


def pao_code_for(province_en):
    """Return the PAO code of a province: its English name in lower case, '_' between words."""
    return re.sub(r"[^a-z0-9]+", "_", (province_en or "").lower()).strip("_")[:32]


def _prefix_for(province_en, code, taken):
    letters = re.sub(r"[^A-Z]", "", (province_en or "").upper())
    words = [w for w in re.split(r"[^A-Za-z]+", province_en or "") if w]
    initials = "".join(w[0] for w in words).upper()
    # a readable prefix first (the name), then the initials with the code as letters, which is unique
    for candidate in (letters[:8], (initials + letters[1:])[:8],
                      (initials[:6] + "".join(chr(65 + int(d)) for d in code))[:8]):
        if len(candidate) >= 2 and candidate not in taken:
            return candidate
    raise ValueError(f"no free reference prefix for province {code}")


def create_all_paos():
    """Create the PAO of every imported province that has none yet (Bangkok has none), province set."""
    result = CreatedPaos()
    paos = db.session.scalars(db.select(Pao)).all()
    by_province = {p.province_code: p for p in paos if p.province_code}
    codes = {p.code for p in paos}
    taken = {p.reference_prefix for p in paos}
    for province_code, name_th, name_en, _count in imported_provinces():
        if province_code in NO_PAO_PROVINCES:
            continue
        if province_code in by_province:
            result.existing.append(by_province[province_code])
            continue
        code = pao_code_for(name_en)
        if not code or code in codes:
            code = f"pao_{province_code}"
        prefix = _prefix_for(name_en, province_code, taken)
        pao = create_pao(code=code, name_th=f"องค์การบริหารส่วนจังหวัด{name_th}", name_en=f"{name_en} PAO",
                         prefix=prefix)
        set_province(pao, province_code, name_th=name_th, name_en=name_en)
        codes.add(code)
        taken.add(prefix)
        result.created.append(pao)
    db.session.flush()
    log.info("PAOs created for %d provinces (%d had one)", len(result.created), len(result.existing))
    return result
