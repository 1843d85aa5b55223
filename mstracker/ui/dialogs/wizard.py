"""First run: create the patient, pick the centre's protocol, take the dates known so far — or explore a sample.

It can be skipped ("Set up later") and resumed: what was typed is kept in the settings, and a patient
added without a journey is picked up where it stopped.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...domain.errors import UserError
from ...domain.phases import ORDER, START_PHASES, Phase
from ...domain.protocol import Protocol
from ..core.date_input import DateInput
from ..core.later import later
from ..core.runner import Changes, error_text
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from ..core.settings import UiSettings, WizardDraft
from ..core.words import phase_words
from .log_entry import InlineError

journeys = later("mstracker.services.journeys")
patients = later("mstracker.services.patients")
protocols = later("mstracker.services.protocols")

WELCOME, PATIENT, PROTOCOL, DATES, SAMPLE = range(5)
# Where a patient may be when they start using the app: anywhere up to long-term follow-up.
CURRENT_PHASES = ORDER[:ORDER.index(Phase.FOLLOW_UP) + 1]
# The day each phase began, in the words a patient knows it by (asked for the phases already behind them).
MILESTONE_WORDS = {
    Phase.MOBILIZATION: "Mobili&zation began:",
    Phase.CELLS_STORED: "&Cells collected and stored:",
    Phase.CONDITIONING: "&Admitted for conditioning:",
    Phase.TRANSPLANT: "Day &0 (stem cells given back):",
    Phase.IMMUNE_REBUILD: "&Home from hospital:",
}
MS_TYPES = (("not sure", None), ("relapsing-remitting (RRMS)", "rrms"), ("secondary progressive (SPMS)", "spms"),
            ("primary progressive (PPMS)", "ppms"), ("clinically isolated syndrome (CIS)", "cis"))


def demo_available() -> bool:
    try:
        from ...services import demo  # noqa: F401  (written alongside; the button shows only when it is there)
    except ImportError:
        return False
    return True


def _row(form: QFormLayout, text: str, widget: QWidget, name: str, description: str = "") -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    form.addRow(label, widget)


def _optional_date(check_text: str, today: date) -> tuple[QCheckBox, DateInput]:
    check = QCheckBox(check_text)
    edit = DateInput(today)
    edit.setEnabled(False)
    check.toggled.connect(edit.setEnabled)
    return check, edit


class WelcomePage(QWizardPage):
    def __init__(self, with_demo: bool) -> None:
        super().__init__()
        self.setTitle("Welcome to mstracker")
        self.setSubTitle("It keeps track of your stem cell transplant journey: where you are, what you "
                         "logged and what comes next.")
        self.setup = QRadioButton("&Set up my journey (about two minutes)")
        self.setup.setObjectName("wizardSetup")
        self.setup.setAccessibleDescription("Your name, your centre's protocol and the dates you know")
        self.setup.setChecked(True)
        self.sample = QRadioButton("&Explore a sample journey first")
        self.sample.setObjectName("wizardSample")
        self.sample.setAccessibleDescription("Adds sample patients, one in each phase, to look around")
        self.sample.setVisible(with_demo)
        later = QLabel("You can stop at any time with “Set up later”; what you typed is kept.")
        later.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.setup)
        layout.addWidget(self.sample)
        layout.addStretch(1)
        layout.addWidget(later)

    def nextId(self) -> int:
        if self.sample.isChecked():
            return SAMPLE
        wizard = self.wizard()
        return PROTOCOL if getattr(wizard, "resume_id", None) else PATIENT


class PatientPage(QWizardPage):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.setTitle("About you")
        self.setSubTitle("Only the name is needed; the rest helps your team.")
        self.name = QLineEdit()
        self.name.setObjectName("wizardName")
        self.ms_type = QComboBox()
        for text, value in MS_TYPES:
            self.ms_type.addItem(text, value)
        self.born_check, self.born = _optional_date("I want to add my b&irth date", date(1985, 1, 1))
        form = QFormLayout(self)
        _row(form, "Na&me:", self.name, "Name", "The patient's name, as the team knows it")
        _row(form, "&Type of MS:", self.ms_type, "Type of MS", "Optional")
        form.addRow(self.born_check)
        _row(form, "Birth &date:", self.born, "Birth date", "Optional")
        self.registerField("name*", self.name)

    def nextId(self) -> int:
        return PROTOCOL


class ProtocolPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your centre's protocol")
        self.setSubTitle("The treatment plan your centre follows. Ask your coordinator if you are not sure.")
        self.protocol = QComboBox()
        self.protocol.setObjectName("wizardProtocol")
        self.description = QLabel("")
        self.description.setWordWrap(True)
        self.description.setAccessibleName("About this protocol")
        self._protocols: list[Protocol] = []  # read off the UI thread: `set_protocols`
        form = QFormLayout(self)
        _row(form, "&Protocol:", self.protocol, "Protocol", "Your centre's treatment plan")
        form.addRow(self.description)
        self.protocol.currentIndexChanged.connect(self._describe)
        self._describe()

    def set_protocols(self, protocols: list[Protocol], select: str = "") -> None:
        """The protocols a journey can start with, `select` (a draft's) chosen; the page is complete once there."""
        self._protocols = list(protocols)
        self.protocol.clear()
        for protocol in self._protocols:
            self.protocol.addItem(protocol.title, protocol.name)
        if (index := self.protocol.findData(select)) >= 0:
            self.protocol.setCurrentIndex(index)
        self._describe()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self._protocols)

    def _describe(self) -> None:
        index = self.protocol.currentIndex()
        text = self._protocols[index].description if 0 <= index < len(self._protocols) else ""
        self.description.setText(text)
        self.description.setAccessibleDescription(text)

    def nextId(self) -> int:
        return DATES


class DatesPage(QWizardPage):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.setTitle("The dates you know so far")
        self.setSubTitle("Planned dates can change later: the reminders move with them.")
        self.phase = QComboBox()
        self.phase.setObjectName("wizardPhase")
        for phase in CURRENT_PHASES:
            self.phase.addItem(phase_words(phase).capitalize(), phase.value)
        self.phase.setCurrentIndex(1)
        self.since = DateInput(today)
        self.since.setObjectName("wizardSince")
        self.past_note = QLabel("The days each earlier step began, as far as you know them; an approximate "
                                "day is fine, and you can correct any of them later from the Journey menu.")
        self.past_note.setWordWrap(True)
        self.milestones: dict[Phase, DateInput] = {}
        self._milestone_labels: dict[Phase, QLabel] = {}
        self.admission_check, self.admission = _optional_date("I know my planned &admission date", today)
        self.day0_check, self.day0 = _optional_date("I know my planned Day &0 (stem cells given back)", today)
        self.admission_check.setObjectName("wizardAdmissionKnown")
        self.admission.setObjectName("wizardAdmission")
        self.day0_check.setObjectName("wizardDay0Known")
        self.day0.setObjectName("wizardDay0")
        self.error = InlineError()
        form = QFormLayout(self)
        _row(form, "&Where are you now:", self.phase, "Current phase", "The phase you are in today")
        form.addRow(self.past_note)
        for phase, words in MILESTONE_WORDS.items():
            edit = DateInput(today)
            edit.setObjectName(f"wizardSince_{phase.value}")
            _row(form, words, edit, words.replace("&", "").rstrip(":"), "The day this step began")
            self._milestone_labels[phase] = form.labelForField(edit)
            self.milestones[phase] = edit
        # After the earlier steps, in the order they happened: the day the current phase began.
        _row(form, "&Since:", self.since, "Since", "The day this phase began")
        form.addRow(self.admission_check)
        _row(form, "Planned ad&mission:", self.admission, "Planned admission")
        form.addRow(self.day0_check)
        _row(form, "Planned &Day 0:", self.day0, "Planned Day 0")
        form.addRow(self.error)
        self._form = form
        self.phase.currentIndexChanged.connect(lambda _i: self._show_for_phase())
        self._show_for_phase()

    def current_phase(self) -> Phase:
        return Phase(self.phase.currentData())

    def past_phases(self) -> list[Phase]:
        """The phases behind the patient, from mobilization on, whose first day is asked (empty at the start)."""
        current = self.current_phase()
        if current in START_PHASES:
            return []
        return list(ORDER[ORDER.index(Phase.MOBILIZATION):ORDER.index(current)])

    def _show_for_phase(self) -> None:
        """Ask only what fits where the patient is: the days already behind them, and planned days still ahead."""
        current = ORDER.index(self.current_phase())
        past = self.past_phases()
        self.past_note.setVisible(bool(past))
        for phase, edit in self.milestones.items():
            self._form.setRowVisible(edit, phase in past)
        self._form.setRowVisible(self.admission_check, current < ORDER.index(Phase.CONDITIONING))
        self._form.setRowVisible(self.admission, current < ORDER.index(Phase.CONDITIONING))
        self._form.setRowVisible(self.day0_check, current < ORDER.index(Phase.TRANSPLANT))
        self._form.setRowVisible(self.day0, current < ORDER.index(Phase.TRANSPLANT))
        since = self._form.labelForField(self.since)
        since.setText(f"{phase_words(self.current_phase()).capitalize()} be&gan:" if past else "&Since:")
        wizard = self.wizard()
        if wizard is not None:
            wizard.adjustSize()  # rows came or went: the page must not be cut

    def order_problem(self) -> str | None:
        """The days asked must follow each other (one step a day at most); None when they do."""
        typed = [(p, self.milestones[p].date()) for p in self.past_phases()]
        typed.append((self.current_phase(), self.since.date()))
        if not all(d.isValid() for _p, d in typed):
            return None  # a day that is not one is said when the journey is made
        days = [(p, d.toPython()) for p, d in typed]
        for (before, first), (after, then) in zip(days, days[1:], strict=False):
            if then <= first:
                return (f"{phase_words(after).capitalize()} must begin after {phase_words(before)} began "
                        f"({first:%a %d %b %Y}); please check the days.")
        return None

    def nextId(self) -> int:
        return -1


class SamplePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Explore a sample journey")
        self.setSubTitle("Finish adds sample patients, one in each phase, with realistic entries.")
        text = QLabel("Their names end in “(demo)”. Look around, log and undo freely. When you are ready, "
                      "set up your own journey from the Journey menu (Set up a journey…).")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1


class FirstRunWizard(FitsScreen, QWizard):
    finished_with_patient = Signal(int)

    def __init__(self, session: Session, settings: UiSettings, parent: QWidget | None = None,
                 resume_id: int | None = None) -> None:
        super().__init__(parent)
        self.session, self.settings = session, settings
        self.setObjectName("firstRunWizard")
        self.setWindowTitle("Set up your journey")
        self.setAccessibleName(self.windowTitle())
        today = session.ctx.today()
        self.resume_id = resume_id  # a patient added before the guide was skipped: its journey is still to set up
        self.created_id: int | None = None
        self.welcome = WelcomePage(demo_available())
        self.patient = PatientPage(today)
        self.protocol = ProtocolPage()
        self.dates = DatesPage(today)
        self.sample = SamplePage()
        for page_id, page in ((WELCOME, self.welcome), (PATIENT, self.patient), (PROTOCOL, self.protocol),
                              (DATES, self.dates), (SAMPLE, self.sample)):
            self.setPage(page_id, page)
        self.setStartId(WELCOME)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Set up &later")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._restore_draft()
        session.query(self, lambda: protocols.list_protocols(),
                      lambda found: self.protocol.set_protocols(found, self.settings.wizard_draft().protocol),
                      on_failure=lambda exc: self.protocol.description.setText(error_text(exc)))
        if self.resume_id is not None:
            self.welcome.setSubTitle("Welcome back: let us finish setting up the journey.")

    # ---- draft: skipped and resumed ---------------------------------------------------------------------------
    def _save_draft(self) -> None:
        self.settings.set_wizard_draft(WizardDraft(
            name=self.patient.name.text(), ms_type=self.patient.ms_type.currentIndex(),
            # Closed before the protocols were read: the draft's choice is kept.
            protocol=self.protocol.protocol.currentData() or self.settings.wizard_draft().protocol, phase=self.dates.phase.currentData() or "",
            since=self.dates.since.date().toString("yyyy-MM-dd")))

    def _restore_draft(self) -> None:
        draft = self.settings.wizard_draft()
        self.patient.name.setText(draft.name)
        if 0 <= draft.ms_type < self.patient.ms_type.count():
            self.patient.ms_type.setCurrentIndex(draft.ms_type)
        if (index := self.dates.phase.findData(draft.phase)) >= 0:  # the protocol: once the list is read
            self.dates.phase.setCurrentIndex(index)
        since = QDate.fromString(draft.since, "yyyy-MM-dd")
        if since.isValid():
            self.dates.since.setDate(since)

    def _clear_draft(self) -> None:
        self.settings.set_wizard_draft(WizardDraft())

    def reject(self) -> None:
        self._save_draft()  # before QWizard resets its pages' fields on closing
        super().reject()

    # ---- finishing ---------------------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.currentId() == DATES and (problem := self.dates.order_problem()):
            self.dates.error.show_message(problem)  # before anything is written
            return
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        if self.currentId() == SAMPLE:
            self._explore()
        else:
            self._create()

    def _failed(self, message: str) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        page = self.currentPage()
        if page is self.dates:
            self.dates.error.show_message(message)
        else:
            from ..core.runner import show_message

            show_message(self, message)

    def _done(self, patient_id: int) -> None:
        self._clear_draft()
        self.finished_with_patient.emit(patient_id)
        super().accept()

    def _create(self) -> None:
        ctx = self.session.ctx
        name = self.patient.name.text().strip()
        ms_type = self.patient.ms_type.currentData()
        protocol = self.protocol.protocol.currentData()
        phase = self.dates.current_phase()
        plans = []
        try:  # a typed date that is not one is said on the page, before anything is written
            born = self.patient.born.value("Birth date") if self.patient.born_check.isChecked() else None
            since = self.dates.since.value("Since")
            # A patient already past mobilization: the journey starts at mobilization and each later step is
            # recorded on the day they gave, so that Day 0 and the reminders come from their own dates.
            steps = [(p, self.dates.milestones[p].value(MILESTONE_WORDS[p].replace("&", "").rstrip(":")))
                     for p in self.dates.past_phases()]
            if self.dates.admission_check.isChecked() and self.dates.admission_check.isVisibleTo(self.dates):
                plans.append((Phase.CONDITIONING, self.dates.admission.value("Planned admission")))
            if self.dates.day0_check.isChecked() and self.dates.day0_check.isVisibleTo(self.dates):
                plans.append((Phase.TRANSPLANT, self.dates.day0.value("Planned Day 0")))
        except UserError as exc:
            self._failed(str(exc))
            return
        start_phase, start_on = steps[0] if steps else (phase, since)
        steps = [*steps[1:], (phase, since)] if steps else []

        def run() -> int:
            # A patient made on an earlier try (or before a skip) is reused, never added twice.
            pid = self.resume_id or self.created_id
            if pid is None:
                pid = patients.add_patient(ctx, name, born=born, ms_type=ms_type)
                self.created_id = pid
            journey = journeys.journey_of(ctx, pid)
            if not journey.started:
                journey = journeys.start_journey(ctx, pid, protocol, start_on, start_phase)
            for step, on in steps:
                if journey.entered(step) is None:  # a step recorded on an earlier try is not recorded twice
                    journey = journeys.advance(ctx, pid, step, on)
            for plan_phase, on in plans:
                journeys.plan(ctx, pid, plan_phase, on)
            return pid

        self.session.op(self, run, Changes.everything(), on_success=self._done, on_failure=self._failed)

    def _explore(self) -> None:
        from ...services.demo import create_demo

        ctx = self.session.ctx

        def run() -> int:
            ids = create_demo(ctx, None)
            # Open the sample that shows the most: the one recovering in hospital.
            for summary in patients.list_patients(ctx):
                if summary.id in ids and summary.phase == Phase.TRANSPLANT.value:
                    return summary.id
            return ids[0]

        self.session.op(self, run, Changes.everything(), on_success=self._done, on_failure=self._failed)
