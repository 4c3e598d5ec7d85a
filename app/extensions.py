"""Flask extensions, created unbound and initialised in create_app()."""
from flask import g, has_app_context, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Select

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _replica():
    """Return the replica engine app/core/replica.py chose for this request (a streamed body's reads too, which
    run after the view returned) or this block of code, else None."""
    engine = g.get("read_replica") if has_app_context() else None
    if engine is None and has_request_context():
        engine = getattr(request, "read_replica", None)
    return engine


class ReplicaReadSession(Session):
    """Sends plain SELECTs to the replica while one is chosen (app/core/replica.py chooses it for read-only
    oversight pages and exports); flushes, writes, SELECT ... FOR UPDATE and the rest use the primary."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and isinstance(clause, Select) and clause._for_update_arg is None:
            replica = _replica()
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"class_": ReplicaReadSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
