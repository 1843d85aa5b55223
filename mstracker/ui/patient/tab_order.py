"""The order of the patient view's tabs: light, so that the menus can name them before the first paint."""

HISTORY, CHARTS, OUTCOMES, ELIGIBILITY = range(4)
TAB_NAMES = ("History", "Charts", "Outcomes", "Eligibility")
