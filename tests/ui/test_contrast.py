"""Every text/background pair meets WCAG AA (4.5:1; 3:1 for large text) in both styles: the stylesheets'
rules, the colours written in the ui's code, and what the timeline paints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mstracker.ui.core import alert_bar
from mstracker.ui.core.contrast import AA, ratio, text_on
from mstracker.ui.core.paths import stylesheet_path
from mstracker.ui.core.style import apply_text_mode
from mstracker.ui.patient.eligibility_panel import STATUS_COLOURS as ELIGIBILITY
from mstracker.ui.patient.outcomes_panel import STATUS_COLOURS as OUTCOMES
from mstracker.ui.patient.timeline import Timeline

UI = Path(__file__).resolve().parents[2] / "mstracker" / "ui"
HEX = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b"
FOREGROUND = re.compile(rf"(?<![-\w])color\s*:\s*({HEX})")
BACKGROUND = re.compile(rf"(?<![-\w])background(?:-color)?\s*:\s*({HEX})")


def _rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet):
        props = {name.strip(): value.strip() for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)}
        for selector in selectors.split(","):
            rules.append((selector.strip(), props))
    return rules


def _hex(value: str | None) -> str | None:
    match = re.fullmatch(HEX, value or "")
    return match.group(0) if match else None


def _sheet(high_contrast: bool) -> str:
    parts = [stylesheet_path("mstracker").read_text(encoding="utf-8"), alert_bar.STYLE]
    if high_contrast:
        parts.append(stylesheet_path("high-contrast").read_text(encoding="utf-8"))
    return "\n".join(parts)


def _stylesheet_pairs(sheet: str, plain: list[str]) -> list[tuple[str, str, str]]:
    """(where, text, background): a rule's colour on its own background, else on its selector's (or an
    ancestor selector's) background elsewhere in the sheet, else on every plain background of the window."""
    rules = _rules(sheet)
    backgrounds: dict[str, str] = {}
    for selector, props in rules:
        colour = _hex(props.get("background")) or _hex(props.get("background-color"))
        if colour:
            backgrounds[selector.split(":")[0]] = colour
    pairs = []
    for selector, props in rules:
        text = _hex(props.get("color"))
        base = selector.split(":")[0]
        own = _hex(props.get("background")) or _hex(props.get("background-color"))
        if text:
            ancestors = [" ".join(base.split()[:i]) for i in range(len(base.split()), 0, -1)]
            found = own or next((backgrounds[a] for a in ancestors if a in backgrounds), None)
            pairs += [(selector, text, bg) for bg in ([found] if found else plain)]
            if _hex(props.get("alternate-background-color")):
                pairs.append((selector + " (alternate rows)", text, props["alternate-background-color"]))
        selected = _hex(props.get("selection-color"))
        if selected and _hex(props.get("selection-background-color")):
            pairs.append((selector + " (selected)", selected, props["selection-background-color"]))
    return pairs


def _code_pairs(plain: list[str]) -> list[tuple[str, str, str]]:
    """Colours written into the ui's code ("color:#444" in a label's style, rich text, item colours): on the
    background set beside them, or else on every plain background."""
    pairs = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "alert_bar.py":
            continue  # its STYLE is a stylesheet, read as one above
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for text in FOREGROUND.findall(line):
                own = BACKGROUND.findall(line)
                for bg in own or plain:
                    pairs.append((f"{path.relative_to(UI)}:{number}", text, bg))
    for name, colours in (("eligibility", ELIGIBILITY), ("outcomes", OUTCOMES)):
        pairs += [(f"{name} {state}", colour, bg) for state, colour in colours.items() for bg in plain]
    from mstracker.ui.agenda import model as agenda_model
    from mstracker.ui.agenda import view as agenda_view
    from mstracker.ui.dashboard import model as dashboard_model

    for where, colour, backgrounds in (
            ("agenda overdue", agenda_model._OVERDUE, plain + [agenda_model._HEADING_BG.name()]),
            ("agenda quiet", agenda_model._QUIET, plain + [agenda_model._HEADING_BG.name()]),
            ("calendar open day", agenda_view._MARK_OPEN, ["#dbe7fb"]),
            ("calendar done day", agenda_view._MARK_DONE, ["#e6f4ea"]),
            ("dashboard red", dashboard_model._RED, plain),
            ("reminders overdue", "#a4262c", plain)):
        name = colour if isinstance(colour, str) else colour.name()
        pairs += [(where, name, bg) for bg in backgrounds]
    return pairs


@pytest.fixture(params=[False, True], ids=["normal", "high-contrast"])
def style(request, qtbot):
    app = QApplication.instance()
    apply_text_mode(app, request.param)
    yield request.param
    apply_text_mode(app, False)


def _plain_backgrounds() -> list[str]:
    palette = QApplication.instance().palette()
    return sorted({palette.window().color().name(), palette.base().color().name(),
                   palette.alternateBase().color().name(), "#ffffff"})


def test_every_text_and_background_pair_meets_aa(style):
    plain = _plain_backgrounds()
    pairs = _stylesheet_pairs(_sheet(style), plain) + _code_pairs(plain)
    assert len(pairs) > 40  # the parser found the rules
    poor = [(where, text, bg, round(ratio(text, bg), 2)) for where, text, bg in pairs if ratio(text, bg) < AA]
    assert poor == []


def test_the_timeline_meets_aa_in_both_styles(qtbot, style):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.high_contrast = style
    pairs = timeline.colour_pairs()
    assert len(pairs) >= 18
    poor = [(text, bg, round(ratio(text, bg), 2)) for text, bg, large in pairs if ratio(text, bg) < (3 if large else AA)]
    assert poor == []


def test_the_phase_line_keeps_its_colour_in_high_contrast(style):
    rules = _rules(_sheet(style))
    colour = [props["color"] for selector, props in rules if selector == "QLabel#whereAmI" and "color" in props][-1]
    assert colour.lower() not in ("#000000", "#000") and ratio(colour, "#ffffff") >= 7


def test_contrast_arithmetic():
    assert round(ratio("#000000", "#ffffff"), 1) == 21.0 and ratio("#777777", "#777777") == 1.0
    assert round(ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes AA on white
    assert text_on("#d9776a") == "#111111" and text_on("#003a8c") == "#ffffff"
