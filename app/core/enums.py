"""Helpers for storing Python enums as readable strings on every engine."""
from app.extensions import db


def enum_column(enum_cls, **kwargs):
    """Return a column storing an enum's values (not names) as VARCHAR, portable across engines."""
    return db.Column(
        db.Enum(enum_cls, native_enum=False, length=32, validate_strings=True,
                values_callable=lambda members: [m.value for m in members]),
        **kwargs,
    )
