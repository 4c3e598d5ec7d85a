"""Sealing-key rotation: re-seal every stored token and sealed file under the first SEALING_KEY.

SEALING_KEY holds comma-separated Fernet keys; the first seals, any of them unseals (MultiFernet).
Rotation: put a new key first, keep the old ones after it, restart, run `flask sealing rotate`,
check with `flask sealing check`, then drop the old keys.

What is sealed belongs to other packages, so they declare it (create_app calls declare_sealed):
columns holding sealed text, batches of keys of sealed files, and what to redo after a rotation.
"""
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from app.core.storage import get_storage
from app.extensions import db
from app.security.sealing import configured_keys

BATCH = 500


@dataclass(frozen=True)
class SealedData:
    """Where sealed data lives: columns (model, name), file stores (kind, batches(after_id) -> [(id, key)])
    and callables to run after a rotation (each takes the RotationCount)."""

    columns: tuple = ()
    files: tuple = ()
    after_rotation: tuple = ()


def declare_sealed(app, sealed):
    """Tell the rotation what this application seals."""
    app.extensions["sealed_data"] = sealed


def _sealed():
    return current_app.extensions.get("sealed_data", SealedData())


@dataclass
class RotationCount:
    """What a rotation or check pass found: per kind, tokens re-sealed, current, unreadable."""

    rotated: dict = field(default_factory=dict)
    current: dict = field(default_factory=dict)
    unreadable: dict = field(default_factory=dict)

    def add(self, bucket, kind):
        """Count one token of kind in bucket ("rotated", "current" or "unreadable")."""
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + 1

    def total(self, bucket):
        """Return the number of tokens in bucket over every kind."""
        return sum(getattr(self, bucket).values())


def _classify(token, primary, multi):
    """Return ("current"|"old"|"unreadable") for one token."""
    try:
        primary.decrypt(token)
        return "current"
    except InvalidToken:
        pass
    try:
        multi.decrypt(token)
        return "old"
    except InvalidToken:
        return "unreadable"


def rotate_sealed_data(*, dry_run=False):
    """Re-seal every token and photo original not yet under the primary key; return the counts."""
    keys = configured_keys()
    primary, multi = Fernet(keys[0]), MultiFernet([Fernet(k) for k in keys])
    count = RotationCount()
    sealed = _sealed()
    for model, name in sealed.columns:
        _rotate_column(model, name, primary, multi, count, dry_run)
    for kind, batches in sealed.files:
        _rotate_files(kind, batches, primary, multi, count, dry_run)
    if not dry_run:
        for after in sealed.after_rotation:
            after(count)
    return count


def _rotate_column(model, name, primary, multi, count, dry_run):
    column = getattr(model, name)
    kind = f"{model.__tablename__}.{name}"
    last_id = 0
    while True:
        rows = db.session.execute(
            db.select(model.id, column).where(column.is_not(None), model.id > last_id)
            .order_by(model.id).limit(BATCH)).all()
        if not rows:
            return
        for row_id, token in rows:
            state = _classify(token.encode("ascii"), primary, multi)
            if state == "old":
                count.add("rotated", kind)
                if not dry_run:
                    fresh = multi.rotate(token.encode("ascii")).decode("ascii")
                    db.session.execute(db.update(model).where(model.id == row_id).values({name: fresh}))
            else:
                count.add(state, kind)
        last_id = rows[-1][0]
        if not dry_run:
            db.session.commit()  # a long rotation keeps what it has done if it is interrupted


def _rotate_files(kind, batches, primary, multi, count, dry_run):
    storage, last_id = get_storage(), 0
    while True:
        rows = batches(last_id)
        if not rows:
            return
        for _row_id, key in rows:
            if not storage.exists(key):
                continue  # purged under the retention policy
            token = storage.read(key)
            state = _classify(token, primary, multi)
            if state == "old":
                count.add("rotated", kind)
                if not dry_run:
                    storage.save(key, multi.rotate(token))  # atomic replace
            else:
                count.add(state, kind)
        last_id = rows[-1][0]
