"""Import every model so SQLAlchemy metadata (and Alembic) sees all tables."""
from app.accounts.models import User  # noqa: F401
from app.api.models import ApiToken  # noqa: F401
from app.categories.models import Category  # noqa: F401
from app.delivery.line_models import LineConversation, LineGroup, LineLinkCode, LineWebhookEvent, NotifyPreference  # noqa: F401,E501
from app.delivery.models import OutboxMessage  # noqa: F401
from app.oversight.export_jobs import ExportJob  # noqa: F401
from app.oversight.models import AmphoeRollup, RollupCheckpoint, StatsRollup  # noqa: F401
from app.reports.models import (  # noqa: F401
    ReferenceCounter,
    Report,
    ReportEvent,
    ReportFeedback,
    ReportPhoto,
    ResidentMessage,
    RoutingDecision,
)
from app.reports.staging import StagedPhoto  # noqa: F401
from app.security.limiter_storage import RateLimitCounter  # noqa: F401
from app.security.sessions import UserSession  # noqa: F401
from app.stations.jurisdiction_models import (  # noqa: F401
    JurisdictionAssignment,
    JurisdictionPart,
    JurisdictionVersion,
)
from app.stations.models import AdminArea, DataVersion, JurisdictionArea, Mou, MouRecord, Pao, Station  # noqa: F401
from app.triage.models import ResponseTemplate, SlaEscalation  # noqa: F401
