"""Monthly rollups of report figures, their checkpoint, and the registry record of each MOU."""
from sqlalchemy.orm import declared_attr

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Report

COUNTERS = ("reports", "open_reports", "acknowledged", "acted", "ack_met", "ack_late", "act_met", "act_late",
            "transferred", "reopened", "rejected", "ack_missed", "act_missed", "overdue")


class RollupKey:
    """The key every rollup row shares: one PAO, one Bangkok calendar month, one station and category."""

    id = db.Column(db.Integer, primary_key=True)

    @declared_attr
    def pao_id(cls):
        return db.Column(db.Integer, db.ForeignKey("paos.id"), nullable=False)

    month = db.Column(db.Date, nullable=False)  # first day of the month, Asia/Bangkok calendar

    @declared_attr
    def station_id(cls):
        return db.Column(db.Integer, db.ForeignKey("stations.id"))  # None: with the coordinator

    @declared_attr
    def category_id(cls):
        return db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)


class UncheckedKey:
    """RollupKey's columns without foreign keys, for the rollup tables holding about a row per report: their
    keys are copied from reports (whose keys are checked), and checking each of millions of inserted rows
    against four tables took three quarters of a set-based rebuild (app.oversight.rebuild)."""

    id = db.Column(db.Integer, primary_key=True)
    pao_id = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Date, nullable=False)
    station_id = db.Column(db.Integer)  # None: with the coordinator
    category_id = db.Column(db.Integer, nullable=False)


class StatsRollup(RollupKey, db.Model):
    """Figures of one PAO's reports filed in one Bangkok calendar month, per station and category.

    Rebuilt from the reports by app.oversight.rollup; never edited by hand. The counter columns are for
    people and SQL; `packed` holds the same counters followed by the two duration histograms (fixed
    buckets of app.oversight.histogram) as int32, the one column the dashboard reads.
    """

    __tablename__ = "stats_rollups"
    __table_args__ = (db.Index("ix_stats_rollups_pao_month", "pao_id", "month"),)

    reports = db.Column(db.Integer, nullable=False, default=0)
    open_reports = db.Column(db.Integer, nullable=False, default=0)
    acknowledged = db.Column(db.Integer, nullable=False, default=0)
    acted = db.Column(db.Integer, nullable=False, default=0)
    ack_met = db.Column(db.Integer, nullable=False, default=0)
    ack_late = db.Column(db.Integer, nullable=False, default=0)
    act_met = db.Column(db.Integer, nullable=False, default=0)
    act_late = db.Column(db.Integer, nullable=False, default=0)
    transferred = db.Column(db.Integer, nullable=False, default=0)
    reopened = db.Column(db.Integer, nullable=False, default=0)
    rejected = db.Column(db.Integer, nullable=False, default=0)
    # Judged when the row was computed (computed_at): the job rebuilds a month when a deadline in it passes.
    ack_missed = db.Column(db.Integer, nullable=False, default=0)
    act_missed = db.Column(db.Integer, nullable=False, default=0)
    overdue = db.Column(db.Integer, nullable=False, default=0)
    packed = db.Column(db.LargeBinary, nullable=False)
    computed_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class AmphoeRollup(RollupKey, db.Model):
    """Report counts of one PAO's month per station, category and amphoe (the amphoe table needs no durations).

    Kept apart from StatsRollup so the rows carrying histograms are not multiplied by the amphoe.
    """

    __tablename__ = "amphoe_rollups"
    __table_args__ = (db.Index("ix_amphoe_rollups_pao_month", "pao_id", "month"),)

    amphoe_code = db.Column(db.String(16))  # None: the pin is in no known tambon
    reports = db.Column(db.Integer, nullable=False, default=0)
    open_reports = db.Column(db.Integer, nullable=False, default=0)
    overdue = db.Column(db.Integer, nullable=False, default=0)


class HotspotRollup(UncheckedKey, db.Model):
    """Report counts of one PAO's month per station, category and 0.01° grid cell: what the hotspot map sums.

    A cell is (floor(lat × 100), floor(lon × 100)) as app.oversight.hotspots computes it; the minimum
    count per shown cell is applied when the cells are summed, never here.
    """

    __tablename__ = "hotspot_rollups"
    __table_args__ = (db.Index("ix_hotspot_rollups_pao_month", "pao_id", "month"),
                      db.Index("ix_hotspot_rollups_cell", "pao_id", "month", "cell_row", "cell_col"),
                      db.Index("ix_hotspot_rollups_station_month", "station_id", "month"))

    cell_row = db.Column(db.Integer, nullable=False)
    cell_col = db.Column(db.Integer, nullable=False)
    reports = db.Column(db.Integer, nullable=False, default=0)


class MemberRollup(UncheckedKey, db.Model):
    """How many of one council member's own reports of one month, station, category and amphoe share the same
    counters (`flags`, bits in COUNTERS order, as RollupEntry) and duration buckets.

    Rebuilt with the month's other rollups by one GROUP BY over rollup_entries; a member's dashboard
    reads only their rows (by the index on member and month) and sums them into figures
    (app.oversight.tables), so it costs what they filed in the period, not the PAO's history. Narrow
    integer rows instead of packed histograms: a member files few reports per key, so a row mostly
    stands for one report, and the packed vector took ten times the room of these columns.
    """

    __tablename__ = "member_rollups"
    __table_args__ = (db.Index("ix_member_rollups_member_month", "member_id", "month"),
                      db.Index("ix_member_rollups_pao_month", "pao_id", "month"))

    member_id = db.Column(db.Integer, nullable=False)
    amphoe_code = db.Column(db.String(16))
    flags = db.Column(db.Integer, nullable=False)
    ack_bucket = db.Column(db.SmallInteger)
    act_bucket = db.Column(db.SmallInteger)
    reports = db.Column(db.Integer, nullable=False, default=0)


class HotspotCell(db.Model):
    """Report counts of one PAO's month per category and square of one hotspot zoom (app.oversight.grid).

    Rebuilt with the month's other rollups; the map of a PAO reads only the zoom it shows, inside the
    bounds it shows, so its cost follows the screen, not the history. The index holds every column the
    map reads, so PostgreSQL answers from the index alone.
    """

    __tablename__ = "hotspot_cells"
    __table_args__ = (db.Index("ix_hotspot_cells_read", "pao_id", "zoom", "month", "cell_row", "cell_col",
                               "category_id", "reports"),
                      db.Index("ix_hotspot_cells_pao_month", "pao_id", "month"))

    id = db.Column(db.Integer, primary_key=True)
    pao_id = db.Column(db.Integer, nullable=False)  # no foreign keys: as UncheckedKey
    month = db.Column(db.Date, nullable=False)
    category_id = db.Column(db.Integer, nullable=False)
    zoom = db.Column(db.SmallInteger, nullable=False)
    cell_row = db.Column(db.Integer, nullable=False)
    cell_col = db.Column(db.Integer, nullable=False)
    reports = db.Column(db.Integer, nullable=False)


class RollupEntry(db.Model):
    """What one report adds to the rollups: its keys, its counters as bits (COUNTERS order) and its
    duration buckets, as judged when last counted. app.oversight.delta moves it when the report changes."""

    __tablename__ = "rollup_entries"
    __table_args__ = (db.Index("ix_rollup_entries_pao_month", "pao_id", "month"),)

    report_id = db.Column(db.Integer, primary_key=True, autoincrement=False)  # no FK: kept apart from reports
    pao_id = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Date, nullable=False)
    station_id = db.Column(db.Integer)
    category_id = db.Column(db.Integer, nullable=False)
    amphoe_code = db.Column(db.String(16))
    member_id = db.Column(db.Integer, nullable=False)
    cell_row = db.Column(db.Integer, nullable=False)
    cell_col = db.Column(db.Integer, nullable=False)
    flags = db.Column(db.Integer, nullable=False)
    ack_bucket = db.Column(db.SmallInteger)
    act_bucket = db.Column(db.SmallInteger)


class RollupCheckpoint(db.Model):
    """When the rollups were last brought up to date; its row lock keeps two rebuilds from interleaving."""

    __tablename__ = "rollup_checkpoints"

    name = db.Column(db.String(40), primary_key=True)
    refreshed_at = db.Column(db.DateTime)


# Indexes the rollup job needs on reports; declared here so app/reports/models.py keeps one owner.
# It finds the months to rebuild by the reports changed, and the deadlines passed, since its last run.
db.Index("ix_reports_updated_at", Report.updated_at)
db.Index("ix_reports_ack_due_at", Report.ack_due_at)
db.Index("ix_reports_act_due_at", Report.act_due_at)
