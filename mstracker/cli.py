"""The command line (docs/command-line.md). Every refusal is one `error: ` line: exit 2 for bad input, 1 for the unexpected."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .domain.dates import day_label, end_of_day, format_moment, parse_date, parse_local_moment
from .domain.errors import UserError
from .domain.limits import parse_id, printable
from .domain.phases import PLAIN_WORDS, START_PHASES, Phase, parse_phase
from .exports.formats import FORMAT_NAMES
from .services.roles import ROLE_NAMES, Role


class _Refused(UserError):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that refuses in one `error: ` line instead of a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Refused(f"{message} (see `mstracker --help`)")


def _patient_id(text: str) -> int:
    try:
        return parse_id(text, "a patient id")
    except UserError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; `mstracker patient list` shows them") from None


def _id(text: str) -> int:
    try:
        return parse_id(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _Given(argparse.Action):
    """Stores the value and notes that it was given (the app asks for a role only when none was)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        setattr(namespace, self.dest, values)
        setattr(namespace, f"{self.dest}_given", True)


class _Skipped:
    """Stands in for the parser of a command this run does not need: every call on it does nothing."""

    def __getattr__(self, _name: str):
        return lambda *_args, **_kwargs: self


GLOBAL_OPTIONS = ("--db", "--role")
COMMANDS = ("gui", "patient", "journey", "status", "log", "amend", "retract", "history", "schedule", "reminder",
            "export", "import", "backup", "restore", "audit", "db", "protocol", "demo", "med", "calendar", "clinic")


def command_word(argv: list[str]) -> str | None:
    """The command a command line names ("gui" when none), or None when only the whole parser can tell
    (--help, an unknown word, an option before the command)."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS:
            next(words, None)
        elif not word.startswith(tuple(f"{option}=" for option in GLOBAL_OPTIONS)):
            return None if word.startswith("-") else word
    return "gui"


def build_parser(only: str | None = None) -> Parser:
    """The command line's grammar; with `only`, just that command's (the others are not built: the app's
    start and a scripted command do not pay for thirty parsers they do not use)."""
    p = Parser(prog="mstracker", description="Track an aHSCT journey for multiple sclerosis.")
    p.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: MSTRACKER_DB or the data folder)")
    p.add_argument("--role", default=Role.PATIENT.value, choices=ROLE_NAMES, action=_Given)
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    skipped = _Skipped()

    def command(name: str, **kwargs):
        return sub.add_parser(name, **kwargs) if only in (None, name) else skipped

    g = command("gui", help="open the desktop app")
    g.add_argument("--smoke", action="store_true", help="exit 0 once the main window has been painted")

    pat = command("patient", help="add or list patients").add_subparsers(dest="action", parser_class=Parser)
    a = pat.add_parser("add")
    a.add_argument("--name", required=True)
    a.add_argument("--born")
    a.add_argument("--diagnosed")
    a.add_argument("--ms-type", choices=["rrms", "spms", "ppms", "cis"])
    pl = pat.add_parser("list")
    pl.add_argument("--json", action="store_true")

    j = command("journey", help="record the journey's phases").add_subparsers(dest="action", parser_class=Parser)
    js = j.add_parser("start")
    js.add_argument("patient", type=_patient_id)
    js.add_argument("--protocol", required=True)
    js.add_argument("--on", required=True)
    js.add_argument("--phase", default="mobilization", choices=[x.value for x in START_PHASES])
    for name in ("advance", "plan", "amend"):
        jp = j.add_parser(name)
        jp.add_argument("patient", type=_patient_id)
        jp.add_argument("phase")
        jp.add_argument("--on", required=True)
        if name == "advance":
            jp.add_argument("--reason")
    ju = j.add_parser("undo")
    ju.add_argument("patient", type=_patient_id)
    ju.add_argument("--reason", required=True)

    st = command("status", help="where a patient stands")
    st.add_argument("patient", type=_patient_id)
    st.add_argument("--on")
    st.add_argument("--json", action="store_true")

    lg = command("log", help="log an entry")
    lg.add_argument("patient", type=_patient_id)
    lg.add_argument("kind")
    lg.add_argument("--at", required=True)
    lg.add_argument("fields", nargs="*")

    am = command("amend", help="correct a log entry")
    am.add_argument("entry", type=_id)
    am.add_argument("--at")
    am.add_argument("fields", nargs="*")

    rt = command("retract", help="retract an entry entered in error")
    rt.add_argument("entry", type=_id)
    rt.add_argument("--reason", required=True)

    hi = command("history", help="the log, newest first")
    hi.add_argument("patient", type=_patient_id)
    hi.add_argument("--kind")
    hi.add_argument("--json", action="store_true")

    sc = command("schedule", help="the reminders")
    sc.add_argument("patient", type=_patient_id)
    sc.add_argument("--from", dest="start")
    sc.add_argument("--to", dest="end")
    sc.add_argument("--json", action="store_true")

    rm = command("reminder", help="mark reminders done or snooze them").add_subparsers(
        dest="action", parser_class=Parser)
    rd = rm.add_parser("done")
    rd.add_argument("reminder", type=_id)
    rd.add_argument("--at")
    rs = rm.add_parser("snooze")
    rs.add_argument("reminder", type=_id)
    rs.add_argument("--until", required=True)
    rk = rm.add_parser("skip")
    rk.add_argument("reminder", type=_id)

    ex = command("export", help="export timelines")
    ex.add_argument("patient", nargs="?", type=_patient_id)
    ex.add_argument("--all", action="store_true")
    ex.add_argument("--format", required=True, choices=FORMAT_NAMES)
    ex.add_argument("--out", required=True)
    ex.add_argument("--force", action="store_true", help="replace files that exist already")

    im = command("import", help="import a json export as a new patient")
    im.add_argument("file")

    bk = command("backup", help="a consistent copy of the whole database")
    bk.add_argument("--out", required=True)
    bk.add_argument("--force", action="store_true", help="replace a file that exists already")
    rs2 = command("restore", help="replace the database with a backup")
    rs2.add_argument("file")

    au = command("audit", help="who changed what and when")
    au.add_argument("patient", nargs="?", type=_patient_id)
    au.add_argument("--json", action="store_true")

    dbp = command("db", help="database maintenance").add_subparsers(dest="action", parser_class=Parser)
    dbp.add_parser("check")
    dbp.add_parser("encrypt")
    dbp.add_parser("rekey")

    pr = command("protocol", help="treatment protocols").add_subparsers(dest="action", parser_class=Parser)
    prl = pr.add_parser("list")
    prl.add_argument("--json", action="store_true")
    pri = pr.add_parser("import")
    pri.add_argument("file")
    pri.add_argument("--replace", action="store_true",
                     help="replace an installed protocol of the same name (kept in the backups folder)")

    de = command("demo", help="add sample patients, one in each phase")
    de.add_argument("--on")

    md = command("med", help="medicines taken at home").add_subparsers(dest="action", parser_class=Parser)
    ma = md.add_parser("add")
    ma.add_argument("patient", type=_patient_id)
    ma.add_argument("--name", required=True)
    ma.add_argument("--times", required=True)
    ma.add_argument("--from", dest="start", required=True)
    ma.add_argument("--to", dest="end")
    rhythm = ma.add_mutually_exclusive_group()
    rhythm.add_argument("--every-days", type=_every_days)
    rhythm.add_argument("--weekdays")
    ma.add_argument("--dose")
    ma.add_argument("--route", default="oral", choices=["oral", "injection", "other"])
    ma.add_argument("--purpose")
    mli = md.add_parser("list")
    mli.add_argument("patient", type=_patient_id)
    mli.add_argument("--json", action="store_true")
    mst = md.add_parser("stop")
    mst.add_argument("course", type=_id)
    mst.add_argument("--on", required=True)
    mst.add_argument("--reason")
    mdo = md.add_parser("doses")
    mdo.add_argument("patient", type=_patient_id)
    mdo.add_argument("--from", dest="start")
    mdo.add_argument("--to", dest="end")
    mdo.add_argument("--json", action="store_true")
    mta = md.add_parser("taken")
    mta.add_argument("course", type=_id)
    mta.add_argument("--dose")
    mta.add_argument("--at")
    msk = md.add_parser("skip")
    msk.add_argument("course", type=_id)
    msk.add_argument("--dose", required=True)
    msk.add_argument("--reason")
    ca = command("calendar", help="publish the schedule to a caregiver's CalDAV calendar").add_subparsers(
        dest="action", parser_class=Parser)
    cp = ca.add_parser("publish", help="create the calendar at URL if missing, then sync")
    cp.add_argument("patient", type=_patient_id)
    cp.add_argument("--url", required=True)
    cp.add_argument("--user", required=True)
    cy = ca.add_parser("sync", help="send what changed (every published patient without PATIENT)")
    cy.add_argument("patient", nargs="?", type=_patient_id)
    cst = ca.add_parser("status", help="the publication's state, from local data only")
    cst.add_argument("patient", type=_patient_id)
    cst.add_argument("--json", action="store_true")
    cu = ca.add_parser("unpublish", help="stop publishing; --delete also removes the published events")
    cu.add_argument("patient", type=_patient_id)
    cu.add_argument("--delete", action="store_true")
    cl = command("clinic", help="who sees what on a clinic server (PostgreSQL)").add_subparsers(
        dest="action", parser_class=Parser)
    cg = cl.add_parser("grant")
    cg.add_argument("login")
    cg.add_argument("--role", dest="grant_role", required=True, choices=ROLE_NAMES)
    cg.add_argument("--patients", type=_patient_ids)
    cr = cl.add_parser("revoke")
    cr.add_argument("login")
    cr.add_argument("--patients", type=_patient_ids)
    cls = cl.add_parser("logins")
    cls.add_argument("--json", action="store_true")
    return p


def _patient_ids(text: str) -> list[int]:
    return [_patient_id(x.strip()) for x in text.split(",")]


def _every_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (e.g. 2)") from None
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError(f"{text!r} must be from 1 to 366 days")
    return value


def _assignments(words: list[str]) -> dict[str, str]:
    # Imported here: the entries module (decimal and all) is not needed to start the app.
    from .domain.entries import parse_assignments

    return parse_assignments(words)


def _out(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _show(as_json: bool, items, to_json, line) -> None:
    """A listing: one JSON document of every item, or one tab-separated line each."""
    if as_json:
        _out([to_json(x) for x in items])
    else:
        for x in items:
            print(line(x))


def _opt_date(text: str | None, what: str) -> date | None:
    return parse_date(text, what) if text is not None else None  # an empty value is refused, not "now"


def _require_action(args: argparse.Namespace, group: str) -> None:
    if not getattr(args, "action", None):
        raise _Refused(f"`mstracker {group}` needs an action (see `mstracker {group} --help`)")


def _phase(text: str) -> Phase:
    return parse_phase(text)


# ---- the commands -------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    command = args.command or "gui"
    if command == "gui":
        return _gui(args)
    if command == "protocol":
        return _protocol(args)
    if command in SELF_OPENING:
        return SELF_OPENING[command](args)
    if command == "clinic":
        _require_server(args)
    if _quick_answer(command, args):
        answered = _answer_quickly(command, args)
        if answered is not None:
            return answered
    from .services.context import open_context

    ctx = open_context(args.db, role=_requested_role(args), passphrase=_passphrase(args))
    try:
        _daily_backup(ctx)
        return HANDLERS[command](ctx, args)
    finally:
        ctx.close()


def _quick_answer(command: str, args: argparse.Namespace) -> bool:
    """A read whose answer the file alone gives (services/quick_context.py)."""
    return command == "status" or (command == "patient" and getattr(args, "action", None) == "list")


def _answer_quickly(command: str, args: argparse.Namespace) -> int | None:
    """The command answered from the file with sqlite3 alone; None where it must be opened the full way."""
    from .services.quick_context import QuickUnavailable, open_quick
    from .services.roles import Role

    ctx = open_quick(_target(args), Role.parse(_requested_role(args) or "patient") or Role.PATIENT)
    if ctx is None:
        return None
    try:
        return HANDLERS[command](ctx, args)
    except QuickUnavailable:
        return None  # nothing was printed: the reads come before any output


def _requested_role(args: argparse.Namespace) -> str | None:
    """--role as given; None without it (a clinic server's grant then decides; a SQLite file opens as patient)."""
    return args.role if getattr(args, "role_given", False) else None


def _require_server(args: argparse.Namespace) -> None:
    """Checked before anything is opened: on a SQLite file the `clinic` commands would create or touch it."""
    from .services.places import is_server_target

    if not is_server_target(_target(args)):
        raise UserError("`clinic` is a clinic-server feature: it needs a PostgreSQL database "
                        "(--db postgresql+psycopg://LOGIN@HOST/DATABASE); nothing was changed")


def _daily_backup(ctx) -> None:
    """The day's rolling backup, taken before the day's first command; a failure is said, not fatal."""
    from .services.maintenance import daily_backup_if_due

    try:
        daily_backup_if_due(ctx)
    except (UserError, OSError) as exc:
        print(f"warning: the daily backup could not be taken: {exc}", file=sys.stderr)


def _target(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    from .services.places import default_db_target

    return default_db_target()


def _passphrase(args: argparse.Namespace) -> str | None:
    """MSTRACKER_PASSPHRASE, else a prompt when the file is encrypted and someone is at the keyboard."""
    if os.environ.get("MSTRACKER_PASSPHRASE"):
        return os.environ["MSTRACKER_PASSPHRASE"]
    from .services.maintenance import needs_passphrase

    if needs_passphrase(_target(args)) and sys.stdin.isatty():
        return _ask(f"passphrase for {_target(args)}: ")
    return None


def _ask(prompt: str, *, confirm: bool = False, what: str = "passphrase", env: str = "MSTRACKER_PASSPHRASE") -> str:
    import getpass

    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("the same again: ") != first:
            raise UserError(f"the two {what}s differ; nothing was changed")
    except EOFError:
        raise UserError(f"no {what} was given; set {env} or type it at the prompt") from None
    return first


def _new_passphrase(env: str, prompt: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    if sys.stdin.isatty():
        return _ask(prompt, confirm=True)
    return None


def _gui(args: argparse.Namespace) -> int:
    try:
        from .ui.app import run_app
    except ImportError as exc:
        raise UserError(f"the desktop app is not available: {exc}") from None
    return run_app(db=args.db, role=args.role, smoke=getattr(args, "smoke", False),
                   role_explicit=getattr(args, "role_given", False))


def _protocol(args: argparse.Namespace) -> int:
    from .services import protocols

    _require_action(args, "protocol")
    if args.action == "import":
        protocol = protocols.install_protocol(Path(args.file), role=args.role, replace=args.replace)
        print(protocol.name)
        return 0
    _show(args.json, protocols.protocol_listing(),
          lambda x: {"name": x.name, "title": x.protocol.title, "autologous": x.protocol.autologous} if x.protocol
          else {"name": x.name, "title": None, "autologous": None, "invalid": x.problem},
          lambda x: f"{x.name}\t" + (printable(x.protocol.title) if x.protocol
                                     else f"invalid: {printable(x.problem or '')}"))
    return 0


def _patient(ctx, args) -> int:
    _require_action(args, "patient")
    if args.action == "add":
        from .services import patients

        pid = patients.add_patient(ctx, args.name, _opt_date(args.born, "--born"),
                                   _opt_date(args.diagnosed, "--diagnosed"), args.ms_type)
        print(pid)
        return 0
    def line(r) -> str:
        phase = PLAIN_WORDS[Phase(r.phase)] if r.phase else "not started"
        return f"{r.id}\t{printable(r.name)}\t{phase}\t{r.day_text}".rstrip()

    from .services.patient_list import list_patients

    _show(args.json, list_patients(ctx), lambda r: r.to_json(), line)
    return 0


def _journey(ctx, args) -> int:
    from .services import journeys

    _require_action(args, "journey")
    if args.action == "start":
        journeys.start_journey(ctx, args.patient, args.protocol, parse_date(args.on, "--on"), Phase(args.phase))
    elif args.action == "advance":
        journeys.advance(ctx, args.patient, _phase(args.phase), parse_date(args.on, "--on"), args.reason)
    elif args.action == "plan":
        journeys.plan(ctx, args.patient, _phase(args.phase), parse_date(args.on, "--on"))
    elif args.action == "amend":
        journeys.amend_transition(ctx, args.patient, _phase(args.phase), parse_date(args.on, "--on"))
    else:
        journeys.undo_transition(ctx, args.patient, args.reason)
    return 0


def _status(ctx, args) -> int:
    from .services.status import status

    as_of = None
    if args.on is not None:
        as_of = end_of_day(parse_date(args.on, "--on")) if len(args.on) == 10 else parse_local_moment(args.on, "--on")
    result = status(ctx, args.patient, as_of)
    if args.json:
        _out(result.to_json())
        return 0
    data = result.to_json()
    phase = PLAIN_WORDS[Phase(data["phase"])] if data["phase"] else "journey not started"
    day = day_label(data["day"], data["day_zero_is_planned"])
    print(f"{printable(data['patient']['name'])}: {' · '.join(x for x in (day, phase) if x)}")
    if data["admitted"]:
        stay = f" ({data['length_of_stay_days']} days)" if data["length_of_stay_days"] is not None else ""
        print(f"admitted {data['admitted']}" + (f", discharged {data['discharged']}{stay}" if data["discharged"] else ""))
    for alert in data["alerts"]:
        print(f"[{alert['level']}] {printable(alert['message'])}")
    for item in data["next"]:
        print(f"next: {item['due'].replace('T', ' ')}  {printable(item['title'])}")
    return 0


def _log(ctx, args) -> int:
    from .services import logbook

    at = parse_local_moment(args.at, "--at")
    print(logbook.log(ctx, args.patient, args.kind, at, _assignments(args.fields)))
    return 0


def _amend(ctx, args) -> int:
    from .services import logbook

    at = parse_local_moment(args.at, "--at") if args.at is not None else None
    logbook.amend(ctx, args.entry, at, _assignments(args.fields))
    return 0


def _retract(ctx, args) -> int:
    from .services import logbook

    logbook.retract(ctx, args.entry, args.reason)
    return 0


def _history(ctx, args) -> int:
    from .services import logbook

    def line(e) -> str:
        fields = " ".join(f"{k}={printable(str(v))}" for k, v in e.fields.items())
        mark = " (amended)" if e.amended else ""
        return f"{e.entry_id}\t{format_moment(e.at).replace('T', ' ')}\t{e.kind.value}\t{fields}{mark}"

    _show(args.json, logbook.history(ctx, args.patient, args.kind), logbook.entry_to_json, line)
    return 0


def _schedule(ctx, args) -> int:
    from .services import reminders

    items = reminders.schedule(ctx, args.patient, _opt_date(args.start, "--from"), _opt_date(args.end, "--to"))
    _show(args.json, items, lambda r: r.to_json(),
          lambda r: f"{r.id}\t{format_moment(r.due).replace('T', ' ')}\t{r.status}\t{printable(r.title)}")
    return 0


def _reminder(ctx, args) -> int:
    from .services import reminders

    _require_action(args, "reminder")
    if args.action == "done":
        reminders.complete(ctx, args.reminder, parse_local_moment(args.at, "--at") if args.at is not None else None)
    elif args.action == "snooze":
        reminders.snooze(ctx, args.reminder, parse_local_moment(args.until, "--until"))
    else:
        reminders.skip(ctx, args.reminder)
    return 0


def _export(ctx, args) -> int:
    from .services import transfer

    if args.all == (args.patient is not None):
        raise UserError("give either a PATIENT id or --all")
    if args.all:
        written = transfer.export_all(ctx, args.format, Path(args.out), progress=_progress("exporting", " patients"),
                                         overwrite=args.force)
        print(f"{len(written)} file(s) written to {args.out}", file=sys.stderr)
    else:
        transfer.export_patient(ctx, args.patient, args.format, Path(args.out), overwrite=args.force)
    return 0


def _progress(what: str, unit: str = ""):
    """A count and the time left on stderr where a person watches (cli_progress), nothing for scripts."""
    from .cli_progress import Progress

    return Progress(what, unit)


def _import(ctx, args) -> int:
    from .services import transfer

    print(transfer.import_file(ctx, Path(args.file), progress=_progress("importing", " events")))
    return 0


def _backup(ctx, args) -> int:
    from .services import maintenance

    print(maintenance.backup(ctx, Path(args.out), overwrite=args.force))
    return 0


def _restore(args) -> int:
    """Opens nothing first: the database being replaced may be too damaged to open."""
    from .domain.errors import ReadOnlyError
    from .services import maintenance

    if Role(args.role).read_only:
        raise ReadOnlyError("read-only: a caregiver cannot restore a backup; ask the patient or coordinator")
    saved = maintenance.restore_target(_target(args), Path(args.file), passphrase=_passphrase(args),
                                       progress=_progress("restoring", " pages"))
    if saved is None:
        print(f"restored from {args.file} (there was no database to replace)", file=sys.stderr)
    else:
        print(f"restored from {args.file}; the previous database was saved as {saved}", file=sys.stderr)
    return 0


def _audit(ctx, args) -> int:
    from .services import audit

    _show(args.json, audit.audit(ctx, args.patient), lambda r: r,
          lambda r: f"{r['at']}\t{printable(r['user'])} ({r['role']})\t{r['action']}\tpatient {r['patient']}\t"
                    f"{printable(str(r['detail']))}")
    return 0


def _db(args) -> int:
    from .services import maintenance
    from .services.context import open_context

    _require_action(args, "db")
    if args.action == "check":  # opens nothing first: the file may be too damaged to open
        report = maintenance.check_target(_target(args), passphrase=_passphrase(args))
        if not report.sound:
            raise UserError(report.message())
        print(report.message())
        return 0
    if args.action == "encrypt":
        ctx = open_context(args.db, role=args.role, passphrase=_passphrase(args))
        try:
            ctx.require_write("encrypt the database")
            maintenance.encrypt(ctx, ctx.db.offered_passphrase or _new_passphrase(
                "MSTRACKER_PASSPHRASE", "new passphrase: "), progress=_progress("encrypting: step", ""))
            print(f"encrypted {ctx.db.target.describe()}; keep the passphrase safe: without it the data cannot be read",
                  file=sys.stderr)
        finally:
            ctx.close()
        return 0
    ctx = open_context(args.db, role=args.role, passphrase=_passphrase(args))
    try:
        ctx.require_write("change the passphrase")
        maintenance.rekey(ctx, _new_passphrase("MSTRACKER_NEW_PASSPHRASE", "new passphrase: "))
        print(f"the passphrase of {ctx.db.target.describe()} was changed", file=sys.stderr)
    finally:
        ctx.close()
    return 0


def _demo(ctx, args) -> int:
    from .services import demo

    on = _opt_date(args.on, "--on")
    for pid in demo.create_demo(ctx, on):
        print(pid)
    return 0


def _dose_moment(text: str) -> datetime:
    if len(text) == 10:
        raise UserError(f"--dose {text!r} needs its time: write YYYY-MM-DDTHH:MM, e.g. {text}T08:00")
    return parse_local_moment(text, "--dose")


def _med(ctx, args) -> int:
    from .domain.medicines import course as rules
    from .services import medicines

    _require_action(args, "med")
    if args.action == "add":
        first = parse_date(args.start, "--from")
        last = _opt_date(args.end, "--to")
        weekdays = rules.parse_weekdays(args.weekdays) if args.weekdays is not None else None
        print(medicines.add_course(
            ctx, args.patient, name=args.name, times=rules.parse_times(args.times), first_day=first, last_day=last,
            every_days=args.every_days, weekdays=weekdays, dose=args.dose or "", route=rules.parse_route(args.route),
            purpose=args.purpose or ""))
    elif args.action == "list":
        views = medicines.list_courses(ctx, args.patient)
        if args.json:
            _out([v.to_json() for v in views])
        for v in views if not args.json else ():
            c = v.course
            span = (f"{c.first_day} to {c.last_day or 'open-ended'}" if c.first_day else "not scheduled yet")
            print(f"{c.id}\t{c.name}\t{c.dose}\t{c.route.value}\t{c.times_text} {c.rhythm_text}\t{span}\t"
                  f"{v.status.value}")
    elif args.action == "stop":
        medicines.stop_course(ctx, args.course, parse_date(args.on, "--on"), args.reason)
    elif args.action == "doses":
        found = medicines.doses(ctx, args.patient, _opt_date(args.start, "--from"), _opt_date(args.end, "--to"))
        if args.json:
            _out([d.to_json() for d in found])
        for d in found if not args.json else ():
            taken = f" at {d.taken_at:%Y-%m-%d %H:%M}" if d.taken_at else ""
            print(f"{d.course.id}\t{d.due:%Y-%m-%d %H:%M}\t{d.status.value}{taken}{' (late)' if d.late else ''}\t"
                  f"{d.course.name}")
    elif args.action == "taken":
        dose = _dose_moment(args.dose) if args.dose else None
        at = parse_local_moment(args.at, "--at") if args.at else None
        print(medicines.record_taken(ctx, args.course, dose, at)[0])
    else:
        print(medicines.record_skip(ctx, args.course, _dose_moment(args.dose), args.reason)[0])
    return 0


def _calendar(args) -> int:
    """Opens the database itself: a caregiver is refused before anything else is checked or opened."""
    from .domain.errors import ReadOnlyError
    from .services.context import open_context

    _require_action(args, "calendar")
    if Role(args.role).read_only and args.action != "status":
        raise ReadOnlyError(f"read-only: a caregiver cannot {args.action} a calendar; ask the patient or coordinator")
    ctx = open_context(args.db, role=args.role, passphrase=_passphrase(args))
    try:
        return _CALENDAR_ACTIONS[args.action](ctx, args)
    finally:
        ctx.close()


def _caldav_password(url: str, user: str) -> tuple[str, str]:
    from .services.caldav_credentials import password_for

    return password_for(url, user, _ask_password if sys.stdin.isatty() else None)


def _ask_password(prompt: str) -> str:
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        return ""


def _calendar_publish(ctx, args) -> int:
    from .services import calendar_publishing as cal
    from .services.caldav_client import check_url
    from .services.caldav_credentials import remember_password

    url = check_url(args.url)  # a bad address or an unknown patient is refused before a password is asked for
    cal.state(ctx, args.patient)
    password, source = _caldav_password(url, args.user)
    result = cal.publish(ctx, args.patient, url, args.user, password)
    if source == "prompt" and remember_password(url, args.user, password):
        print("the password was kept in the system keyring for the next syncs", file=sys.stderr)
    made = "created and " if result.created else ""
    print(f"patient {args.patient}: calendar {made}published at {url}: {result.sent} sent, {result.removed} removed, "
          f"{result.pending} waiting")
    return _sync_outcome(result)


def _sync_outcome(result) -> int:
    if result.error:
        raise UserError(f"patient {result.patient_id}: {result.error}")
    return 0


def _calendar_sync(ctx, args) -> int:
    from .services import calendar_publishing as cal

    if args.patient is not None:
        pub = cal.publication(ctx, args.patient)
        result = cal.sync(ctx, args.patient, _caldav_password(pub.url, pub.user)[0])
        print(f"patient {args.patient}: {result.sent} sent, {result.removed} removed, {result.pending} waiting")
        return _sync_outcome(result)
    results = cal.sync_all(ctx, lambda pub: _caldav_password(pub.url, pub.user)[0])
    failures = []
    for result in results:
        if isinstance(result, UserError):
            failures.append(str(result))
            continue
        print(f"patient {result.patient_id}: {result.sent} sent, {result.removed} removed, {result.pending} waiting")
        if result.error:
            failures.append(f"patient {result.patient_id}: {result.error}")
    if not results:
        print("no patient is published; `mstracker calendar publish PATIENT --url URL --user USER` starts", file=sys.stderr)
    if failures:
        raise UserError(f"{len(failures)} of {len(results)} publication(s) not in step: {' | '.join(failures)}")
    return 0


def _calendar_status(ctx, args) -> int:
    from .services import calendar_publishing as cal

    state = cal.state(ctx, args.patient)
    if state is None:
        if args.json:
            _out({"url": None, "user": None, "last_sync": None, "in_step": False, "pending": 0, "last_error": None})
            return 0
        raise UserError(f"patient {args.patient} is not published; "
                        f"`mstracker calendar publish {args.patient} --url URL --user USER` publishes it")
    if args.json:
        _out(state.to_json(ctx.zone))
    else:
        print(f"published at {state.url} as {state.user}: {state.summary(ctx.now())}")
    return 0


def _calendar_unpublish(ctx, args) -> int:
    from .services import calendar_publishing as cal

    pub = cal.publication(ctx, args.patient)
    password = _caldav_password(pub.url, pub.user)[0] if args.delete else None
    removed = cal.unpublish(ctx, args.patient, delete=args.delete, password=password)
    kept = f"{removed} event(s) removed from the calendar" if args.delete else "the events stay on the calendar"
    print(f"patient {args.patient}: no longer published; {kept}")
    return 0


_CALENDAR_ACTIONS = {"publish": _calendar_publish, "sync": _calendar_sync, "status": _calendar_status,
                     "unpublish": _calendar_unpublish}
def _clinic(ctx, args) -> int:
    from .services import clinic

    _require_action(args, "clinic")
    if args.action == "logins":
        rows = clinic.list_logins(ctx)
        if args.json:
            _out([r.to_json() for r in rows])
        else:
            for r in rows:
                patients = "all" if r.patients is None else ",".join(map(str, r.patients)) or "-"
                print(f"{r.login}\t{r.role}\t{patients}")
        return 0
    if args.action == "revoke":
        clinic.revoke(ctx, args.login, args.patients)
        return 0
    password = None
    if clinic.check_grant(ctx, args.login, args.grant_role, args.patients):
        password = _new_password(args.login)
    clinic.grant(ctx, args.login, args.grant_role, args.patients, password)
    return 0


def _new_password(login: str) -> str:
    """A new login's password: MSTRACKER_NEW_PASSWORD, else a prompt (never echoed, logged or printed)."""
    password = os.environ.get("MSTRACKER_NEW_PASSWORD")
    if not password and sys.stdin.isatty():
        password = _ask(f"password for the new login {login}: ", confirm=True, what="password",
                        env="MSTRACKER_NEW_PASSWORD")
    if not password:
        raise UserError(f"{login} is a new login: give its password in MSTRACKER_NEW_PASSWORD or at the prompt; "
                        "nothing was changed")
    return password


HANDLERS = {
    "patient": _patient, "journey": _journey, "status": _status, "log": _log, "amend": _amend,
    "retract": _retract, "history": _history, "schedule": _schedule, "reminder": _reminder, "export": _export,
    "import": _import, "backup": _backup, "audit": _audit, "demo": _demo, "med": _med, "clinic": _clinic,
}
SELF_OPENING = {"restore": _restore, "db": _db, "calendar": _calendar}  # these open the database themselves


def _log_unexpected(exc: BaseException, command: str | None) -> str:
    """What failed and where, for a bug report: the command's name, the exception's type and the code's
    lines — never the command line, the message or values (names and clinical values live there)."""
    import traceback

    from .services.places import data_subdir
    from .storage.private import open_private

    frames = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in traceback.extract_tb(exc.__traceback__))
    try:
        path = data_subdir("logs") / "mstracker.log"
        with os.fdopen(open_private(path, os.O_WRONLY | os.O_APPEND), "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} mstracker {command or '?'}: {type(exc).__name__}\n{frames}")
        return str(path)
    except OSError:
        return "stderr (the log folder is not writable)"


def main(argv: list[str] | None = None) -> int:
    only = None
    try:
        words = sys.argv[1:] if argv is None else argv
        only = command_word(words)
        args, extra = build_parser(only if only in COMMANDS else None).parse_known_args(words)
        # FIELD=VALUE words may come after --at: argparse leaves them over (a malformed one is named below).
        if extra and args.command in ("log", "amend") and not any(w.startswith("--") for w in extra):
            args.fields = list(args.fields) + extra
        elif extra:
            raise _Refused(f"unrecognized arguments: {' '.join(extra)} (see `mstracker --help`)")
        return run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was changed by the unfinished command", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped listening (`mstracker schedule 1 | head`): the command itself has finished.
        _silence_stdout()
        return 0
    except Exception as exc:  # the unexpected: one line, details in the log
        if os.environ.get("MSTRACKER_DEBUG") == "1":
            import traceback

            traceback.print_exc()
        where = _log_unexpected(exc, only if only in COMMANDS else None)
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"error: unexpected {type(exc).__name__}: {first}; details were logged in {where}", file=sys.stderr)
        return 1


def entry() -> int:
    """The installed `mstracker` script and `python -m mstracker`: `main`, then the process ends at once."""
    code = main()
    end_of_process()
    return code


def end_of_process() -> None:
    """The process ends next: Python's last collection would walk every object it made (a window's widgets, a
    long history: a tenth of a second) only to free memory the system takes back anyway. Frozen, they are
    left alone; files, connections and logs were closed by then, and objects still free by reference
    counting. Only for a process that ends (never in a test's, which runs many commands)."""
    gc.freeze()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
