"""The floors of the command-line figures, each a whole process of its own (python + sqlite3, nothing else):

    python floor_cli.py status DB PATIENT      the patient's projection row, printed as JSON
    python floor_cli.py dashboard DB NOW       the coordinators' list in one query, printed as JSON
    python floor_cli.py export-all DB FOLDER   every patient's events and reminders, one JSON file each

Kept apart from floors.py (and from mstracker): a floor process imports no more than it uses.
"""

import json
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

DASHBOARD_SQL = """
SELECT p.id, p.name, s.phase, s.day_zero, s.day_zero_planned,
       (SELECT count(*) FROM reminder r
         WHERE r.patient_id = p.id AND r.status IN ('pending', 'snoozed')
           AND coalesce(r.snoozed_until, r.due) < :overdue_before) AS overdue,
       (SELECT r.due || ' ' || r.title FROM reminder r
         WHERE r.patient_id = p.id AND r.status = 'pending' AND r.due >= :today
         ORDER BY r.due, r.title LIMIT 1) AS next_due
FROM patient p LEFT JOIN patient_state s ON s.patient_id = p.id
ORDER BY p.id
"""


EVENTS_SQL = ("SELECT id, entry_id, kind, occurred_at, recorded_at, user, role, payload, supersedes FROM event "
              "WHERE patient_id = ? ORDER BY id")
REMINDERS_SQL = ("SELECT id, item_id, occurrence, kind, title, due, status, snoozed_until, done_at, edited, uid "
                 "FROM reminder WHERE patient_id = ? ORDER BY id")
_EVENT_KEYS = ("id", "entry_id", "kind", "occurred_at", "recorded_at", "user", "role", "payload", "supersedes")
_REMINDER_KEYS = ("id", "item_id", "occurrence", "kind", "title", "due", "status", "snoozed_until", "done_at",
                  "edited", "uid")


def export_json(conn: sqlite3.Connection, patient_id: int, out: Path) -> None:
    """One patient's events and reminders read and written as JSON (each payload decoded into its event):
    the least an export of the record can do, whatever its format."""
    events = []
    for row in conn.execute(EVENTS_SQL, (patient_id,)):
        event = dict(zip(_EVENT_KEYS, row, strict=True))
        event["payload"] = json.loads(event["payload"])
        events.append(event)
    reminders = [dict(zip(_REMINDER_KEYS, row, strict=True)) for row in conn.execute(REMINDERS_SQL, (patient_id,))]
    out.write_bytes(json.dumps({"patient": patient_id, "events": events, "reminders": reminders},
                               ensure_ascii=False).encode("utf-8"))


def patient_ids(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT id FROM patient ORDER BY id")]


STATUS_SQL = ("SELECT p.id, p.name, s.phase, s.phase_since, s.day_zero, s.day_zero_planned, s.admitted, "
              "s.discharged, s.next_due FROM patient p LEFT JOIN patient_state s ON s.patient_id = p.id "
              "WHERE p.id = ?")
STATUS_KEYS = ("id", "name", "phase", "phase_since", "day_zero", "day_zero_planned", "admitted", "discharged",
               "next_due")


def main() -> int:
    what, db = sys.argv[1], sys.argv[2]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    if what == "status":
        row = conn.execute(STATUS_SQL, (int(sys.argv[3]),)).fetchone()
        print(json.dumps(dict(zip(STATUS_KEYS, row)), ensure_ascii=False, indent=2))
    elif what == "dashboard":
        now = datetime.fromisoformat(sys.argv[3])
        rows = conn.execute(DASHBOARD_SQL, {"overdue_before": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                                            "today": now.date().isoformat()}).fetchall()
        keys = ("id", "name", "phase", "day_zero", "day_zero_planned", "overdue", "next_due")
        print(json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, indent=2))
    else:
        folder = Path(sys.argv[3])
        folder.mkdir(parents=True, exist_ok=True)
        for pid in patient_ids(conn):
            export_json(conn, pid, folder / f"{pid}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
