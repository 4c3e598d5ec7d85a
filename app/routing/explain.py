"""Readable Thai and English sentences for a routing decision."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .decision import RULE_AREA, RULE_AREA_WITHOUT_MOU, RULE_NEAREST
from .geodesy import format_distance
from .inputs import CategoryInput, PaoInput, StationInput

_TH_MONTHS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
# Boundary points resolve to distance 0 up to float noise; below this we say "on the boundary".
_ON_BOUNDARY_M = 0.5


def thai_date(day: date) -> str:
    """Return day in Thai with the Buddhist Era year, e.g. '5 ม.ค. 2568'."""
    return f"{day.day} {_TH_MONTHS[day.month - 1]} {day.year + 543}"


@dataclass(frozen=True)
class Facts:
    """Everything the sentences need; built by the index, read here only."""

    rule: str
    day: date
    category: CategoryInput
    pao: PaoInput
    max_nearest_m: float
    station: StationInput | None = None
    mou_id: int | None = None
    responsible: StationInput | None = None
    distance_to_station_m: float | None = None
    distance_to_edge_m: float | None = None
    overlapping: Sequence[StationInput] = ()
    # True when a smaller overlapping area lost only because its station lacks a covering MOU.
    skipped_smaller: bool = False
    neighbour: StationInput | None = None
    neighbour_distance_m: float | None = None
    nearest_beyond: StationInput | None = None
    nearest_beyond_m: float | None = None


def explain_en(f: Facts) -> str:
    """Return the English explanation of a decision."""
    terms = f"MOU with {f.pao.name_en} in force on {f.day.isoformat()} covering {f.category.name_en}"
    parts = []
    if f.rule == RULE_AREA:
        name = f.station.name_en
        parts.append(
            f"The location lies in the jurisdiction area of {name}, which has MOU #{f.mou_id} "
            f"with {f.pao.name_en} in force on {f.day.isoformat()} covering {f.category.name_en}, "
            f"so the report goes to {name}."
        )
    elif f.rule == RULE_AREA_WITHOUT_MOU:
        resp = f.responsible.name_en
        parts.append(f"The location lies in the jurisdiction area of {resp}, but {resp} has no {terms}.")
        parts.append(_coordinator_en(f, forward_to=f.responsible))
    elif f.rule == RULE_NEAREST:
        parts.append(
            f"The location lies in no jurisdiction area. The nearest station with an {terms} is "
            f"{f.station.name_en}, {format_distance(f.distance_to_station_m, 'en')} away "
            f"(limit {format_distance(f.max_nearest_m, 'en')}), so the report goes there."
        )
    else:
        beyond = ""
        if f.nearest_beyond is not None:
            beyond = (
                f" (the nearest is {f.nearest_beyond.name_en}, "
                f"{format_distance(f.nearest_beyond_m, 'en')} away)"
            )
        parts.append(
            f"The location lies in no jurisdiction area, and no station with an {terms} is within "
            f"{format_distance(f.max_nearest_m, 'en')}{beyond}."
        )
        parts.append(_coordinator_en(f, forward_to=None))
    if f.overlapping:
        others = ", ".join(s.name_en for s in f.overlapping)
        noun = "area" if len(f.overlapping) == 1 else "areas"
        area_owner = (f.responsible or f.station).name_en
        if f.skipped_smaller:
            parts.append(
                f"The location also lies in the {noun} of {others}; {area_owner} was chosen as the "
                f"smallest overlapping area whose station has a covering MOU."
            )
        elif _on_edge(f):
            parts.append(
                f"The location is on the boundary shared with the {noun} of {others}; such points go "
                f"to the smaller area (then the lower station id), which is that of {area_owner}."
            )
        else:
            parts.append(
                f"The location also lies in the {noun} of {others}; overlapping areas are decided by "
                f"the smaller area (then the lower station id), which is that of {area_owner}."
            )
    if f.distance_to_edge_m is not None:
        parts.append(
            f"It is {format_distance(f.distance_to_edge_m, 'en')} from the edge of that area."
        )
    if f.station is not None and f.rule != RULE_NEAREST:
        if f.distance_to_station_m is not None:
            parts.append(
                f"{f.station.name_en} is {format_distance(f.distance_to_station_m, 'en')} away."
            )
        else:
            parts.append(f"{f.station.name_en} has no recorded location, so no distance is given.")
    if f.neighbour is not None and f.neighbour not in f.overlapping:
        if f.neighbour_distance_m < _ON_BOUNDARY_M:
            where = f"on the boundary with the area of {f.neighbour.name_en}"
        else:
            where = (
                f"only {format_distance(f.neighbour_distance_m, 'en')} from the area of "
                f"{f.neighbour.name_en}"
            )
        parts.append(f"The location is {where}; check that the report is not theirs.")
    return " ".join(parts)


def _on_edge(f: Facts) -> bool:
    return f.distance_to_edge_m is not None and f.distance_to_edge_m < _ON_BOUNDARY_M


def _coordinator_en(f: Facts, forward_to: StationInput | None) -> str:
    if f.station is None:
        tail = f" to be forwarded to {forward_to.name_en}" if forward_to else ""
        return (
            f"{f.pao.name_en} has no coordinating station, so the report waits in the manual "
            f"queue{tail}."
        )
    forward = ""
    if forward_to is not None and forward_to.id != f.station.id:
        forward = f", to forward it to {forward_to.name_en}"
    return (
        f"The report goes to {f.pao.name_en}'s coordinating station, {f.station.name_en}{forward}."
    )


def explain_th(f: Facts) -> str:
    """Return the Thai explanation of a decision."""
    terms = (
        f"บันทึกข้อตกลง (MOU) กับ {f.pao.name_th} ที่มีผลในวันที่ {thai_date(f.day)} "
        f"และครอบคลุมหมวด {f.category.name_th}"
    )
    parts = []
    if f.rule == RULE_AREA:
        name = f.station.name_th
        parts.append(
            f"ตำแหน่งที่แจ้งอยู่ในเขตรับผิดชอบของ {name} ซึ่งมีบันทึกข้อตกลง (MOU) เลขที่ {f.mou_id} "
            f"กับ {f.pao.name_th} ที่มีผลในวันที่ {thai_date(f.day)} และครอบคลุมหมวด "
            f"{f.category.name_th} จึงส่งเรื่องให้ {name}"
        )
    elif f.rule == RULE_AREA_WITHOUT_MOU:
        resp = f.responsible.name_th
        parts.append(f"ตำแหน่งที่แจ้งอยู่ในเขตรับผิดชอบของ {resp} แต่ {resp} ไม่มี{terms}")
        parts.append(_coordinator_th(f, forward_to=f.responsible))
    elif f.rule == RULE_NEAREST:
        parts.append(
            f"ตำแหน่งที่แจ้งไม่อยู่ในเขตรับผิดชอบของสถานีใด สถานีที่ใกล้ที่สุดซึ่งมี{terms} คือ "
            f"{f.station.name_th} ห่างประมาณ {format_distance(f.distance_to_station_m, 'th')} "
            f"(ไม่เกิน {format_distance(f.max_nearest_m, 'th')}) จึงส่งเรื่องให้ {f.station.name_th}"
        )
    else:
        beyond = ""
        if f.nearest_beyond is not None:
            beyond = (
                f" (สถานีที่ใกล้ที่สุดคือ {f.nearest_beyond.name_th} ห่างประมาณ "
                f"{format_distance(f.nearest_beyond_m, 'th')})"
            )
        parts.append(
            f"ตำแหน่งที่แจ้งไม่อยู่ในเขตรับผิดชอบของสถานีใด และไม่มีสถานีที่มี{terms} "
            f"ภายในระยะ {format_distance(f.max_nearest_m, 'th')}{beyond}"
        )
        parts.append(_coordinator_th(f, forward_to=None))
    if f.overlapping:
        others = ", ".join(s.name_th for s in f.overlapping)
        area_owner = (f.responsible or f.station).name_th
        if f.skipped_smaller:
            parts.append(
                f"ตำแหน่งนี้อยู่ในเขตที่ทับซ้อนกับพื้นที่ของ {others} ด้วย จึงเลือก {area_owner} "
                f"เพราะเป็นพื้นที่ที่เล็กที่สุดในบรรดาสถานีที่มีบันทึกข้อตกลงครอบคลุมเรื่องนี้"
            )
        elif _on_edge(f):
            parts.append(
                f"ตำแหน่งนี้อยู่บนแนวเขตร่วมกับพื้นที่ของ {others} กรณีนี้จะเลือกพื้นที่ที่เล็กกว่า "
                f"(หากเท่ากันเลือกสถานีที่มีเลขลำดับในระบบน้อยกว่า) จึงใช้พื้นที่ของ {area_owner}"
            )
        else:
            parts.append(
                f"ตำแหน่งนี้อยู่ในเขตที่ทับซ้อนกับพื้นที่ของ {others} ด้วย เมื่อพื้นที่ทับซ้อนกัน"
                f"จะเลือกพื้นที่ที่เล็กกว่า (หากเท่ากันเลือกสถานีที่มีเลขลำดับในระบบน้อยกว่า) "
                f"จึงใช้พื้นที่ของ {area_owner}"
            )
    if f.distance_to_edge_m is not None:
        parts.append(
            f"ตำแหน่งที่แจ้งอยู่ห่างจากแนวเขตของพื้นที่ประมาณ {format_distance(f.distance_to_edge_m, 'th')}"
        )
    if f.station is not None and f.rule != RULE_NEAREST:
        if f.distance_to_station_m is not None:
            parts.append(
                f"{f.station.name_th} อยู่ห่างจากตำแหน่งที่แจ้งประมาณ "
                f"{format_distance(f.distance_to_station_m, 'th')}"
            )
        else:
            parts.append(f"{f.station.name_th} ยังไม่มีพิกัดที่ตั้ง จึงไม่ได้คำนวณระยะทาง")
    if f.neighbour is not None and f.neighbour not in f.overlapping:
        if f.neighbour_distance_m < _ON_BOUNDARY_M:
            where = f"อยู่บนแนวเขตติดกับพื้นที่ของ {f.neighbour.name_th}"
        else:
            where = (
                f"อยู่ห่างจากพื้นที่ของ {f.neighbour.name_th} เพียงประมาณ "
                f"{format_distance(f.neighbour_distance_m, 'th')}"
            )
        parts.append(f"ตำแหน่งที่แจ้ง{where} โปรดตรวจสอบว่าเรื่องนี้ไม่ใช่ของสถานีดังกล่าว")
    return " ".join(parts)


def _coordinator_th(f: Facts, forward_to: StationInput | None) -> str:
    if f.station is None:
        tail = f" เพื่อส่งต่อให้ {forward_to.name_th}" if forward_to else ""
        return f"และ {f.pao.name_th} ยังไม่ได้กำหนดสถานีผู้ประสานงาน เรื่องจึงเข้าคิวรอเจ้าหน้าที่จัดการ{tail}"
    forward = ""
    if forward_to is not None and forward_to.id != f.station.id:
        forward = f" เพื่อส่งต่อให้ {forward_to.name_th}"
    return f"จึงส่งเรื่องให้สถานีผู้ประสานงานของ {f.pao.name_th} คือ {f.station.name_th}{forward}"
