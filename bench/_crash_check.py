"""The crash test's verdict, read straight from the database, and the faults that prove it can fail."""
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

MARKER = re.compile(r"crash-marker-[0-9a-f]{16}")


@dataclass
class Verdict:
    reports: int = 0
    found: int = 0
    lost: list = field(default_factory=list)
    doubled: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    mismatched: list = field(default_factory=list)
    replayed: int = 0  # acknowledged on a retry, though an earlier attempt had stored the report

    @property
    def ok(self):
        return not (self.lost or self.doubled or self.unknown or self.mismatched)

    def problems(self):
        """Return one line per problem (the first few of each kind)."""
        lines = [f"LOST {s.path} key {s.key} ({s.marker}), acknowledged as {s.acked}" for s in self.lost[:5]]
        lines += [f"DOUBLED {s.path} key {s.key} ({s.marker}): {n} reports" for s, n in self.doubled[:5]]
        lines += [f"NEVER SENT report {ref} (key {key}, filed by {user})" for ref, key, user in self.unknown[:5]]
        lines += [f"MISMATCHED {s.path} key {s.key}: acknowledged as {s.acked}, stored as {got}"
                  for s, got in self.mismatched[:5]]
        return lines

    def summary(self):
        return [f"{len(items)} {word}" for items, word in ((self.lost, "lost"), (self.doubled, "doubled"),
                                                          (self.unknown, "never sent"),
                                                          (self.mismatched, "mismatched")) if items]


def _rows(conn):
    return conn.execute(sa.text(
        "SELECT r.id, r.reference_number, r.idempotency_key, r.narrative, r.created_at, u.username "
        "FROM reports r JOIN users u ON u.id = r.filed_by_id").columns(created_at=sa.DateTime)).all()


def verify(url, tally):
    """Check every sent submission against the reports table, by (member, key) and by narrative marker."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = _rows(conn)
    finally:
        engine.dispose()
    by_key, by_marker = defaultdict(list), defaultdict(list)
    for row in rows:
        by_key[(row.username, row.idempotency_key)].append(row)
        for marker in set(MARKER.findall(row.narrative)):
            by_marker[marker].append(row)
    verdict = Verdict(reports=len(rows))
    for sub in tally.submissions:
        with_key, with_marker = by_key.get((sub.username, sub.key), []), by_marker.get(sub.marker, [])
        if len(with_key) > 1 or len(with_marker) > 1:
            verdict.doubled.append((sub, max(len(with_key), len(with_marker))))
        elif sub.acked is None:
            continue  # never acknowledged (gave up): stored once or not at all are both honest
        elif not with_key or not with_marker:
            verdict.lost.append(sub)
        elif with_key[0].id != with_marker[0].id or sub.acked not in (with_key[0].id, with_key[0].reference_number):
            verdict.mismatched.append((sub, with_key[0].reference_number))
        else:
            verdict.found += 1
            # created before the last attempt was sent: an earlier attempt committed and its answer was lost
            verdict.replayed += sub.attempts > 1 and with_key[0].created_at < sub.last_sent
    sent = {(s.username, s.key): s.marker for s in tally.submissions}
    for row in rows:
        marker = sent.get((row.username, row.idempotency_key))
        if marker is None or marker not in row.narrative:
            verdict.unknown.append((row.reference_number, row.idempotency_key, row.username))
    return verdict


def inject_fault(url, tally, kind, rng):
    """Delete one acknowledged report with what hangs on it ('lose'), or store a copy under a new key ('double')."""
    victim = rng.choice([s for s in tally.submissions if s.acked is not None])
    engine = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(bind=engine)
        reports, users = meta.tables["reports"], meta.tables["users"]
        with engine.begin() as conn:
            row = conn.execute(sa.select(reports).join(users, users.c.id == reports.c.filed_by_id).where(
                users.c.username == victim.username, reports.c.idempotency_key == victim.key)).mappings().one()
            if kind == "lose":
                _delete_with_dependents(conn, meta, reports, [row["id"]])
                return f"deleted report {row['reference_number']} (key {victim.key})"
            copy = {k: v for k, v in row.items() if k != "id"}
            copy.update(idempotency_key=f"fault-{secrets.token_hex(8)}", tracking_secret=secrets.token_hex(8),
                        reference_number=f"{row['reference_number'][:28]}-DUP")
            conn.execute(sa.insert(reports).values(**copy))
            return f"stored a copy of report {row['reference_number']} under key {copy['idempotency_key']}"
    finally:
        engine.dispose()


def _delete_with_dependents(conn, meta, table, ids):
    """Delete rows and, first, every row that refers to them (events, decisions, outbox…), as a cascade would."""
    pk = list(table.primary_key.columns)
    for child in meta.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            if child is table:  # a report pointing at another (duplicate_of): let go of the pointer
                conn.execute(sa.update(child).where(fk.parent.in_(ids)).values({fk.parent.name: None}))
                continue
            child_pk = list(child.primary_key.columns)
            if len(child_pk) == 1:
                child_ids = [r[0] for r in conn.execute(sa.select(child_pk[0]).where(fk.parent.in_(ids)))]
                if child_ids:
                    _delete_with_dependents(conn, meta, child, child_ids)
            else:
                conn.execute(sa.delete(child).where(fk.parent.in_(ids)))
    conn.execute(sa.delete(table).where(pk[0].in_(ids)))
