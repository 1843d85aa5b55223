"""PySide6 desktop app: the only package that imports Qt (besides the PDF writer)."""
