"""What the oversight pages show besides the figures: filter choices and chart layouts."""
from flask_babel import gettext as _

from app.core.i18n import current_lang
from app.extensions import db
from app.oversight.charts import bar_chart, column_chart, sparkline
from app.oversight.forms import category_choices
from app.oversight.periods import month_name
from app.security.access import Role
from app.stations.models import Mou, Pao, Station


def filter_context(user, scope, filters):
    """Return what the filter form needs: PAOs (admins), categories, stations, and the current arguments."""
    admin = user.role == Role.ADMIN
    stations = db.select(Station).order_by(Station.name_th, Station.code)
    if scope.pao is not None:
        stations = stations.where(Station.id.in_(db.select(Mou.station_id).where(Mou.pao_id == scope.pao.id)))
    base_args = {"pao": scope.pao.code} if admin and scope.pao is not None else {}
    return {"scope": scope, "filters": filters, "categories": category_choices(current_lang()),
            "stations": db.session.scalars(stations).all(),
            "paos": db.session.scalars(db.select(Pao).order_by(Pao.code)).all() if admin else [],
            "base_args": base_args | filters.as_args()}


def chart_layouts(data, lang):
    """Return the chart layouts of a dashboard: months, SLA trends, categories, stations, amphoe."""
    no_station, unknown = _("No station (coordinator)"), _("Outside known tambon")
    return {
        "months": column_chart([(month_name(m, lang, short=True), f.reports, str(f.reports))
                                for m, f in data.by_month]),
        "sla": sparkline([f.ack_sla for _m, f in data.by_month]),
        "act_sla": sparkline([f.act_sla for _m, f in data.by_month]),
        "categories": bar_chart([(e["category"].name(lang), e["figures"].reports, str(e["figures"].reports))
                                 for e in data.by_category]),
        "stations": bar_chart([(s.name(lang) if s else no_station, f.reports, str(f.reports))
                               for s, f in data.by_station[:15]]),
        "amphoes": bar_chart([(name or unknown, f.reports, str(f.reports)) for _c, name, f in data.by_amphoe[:15]]),
    }
