"""API tests: the real image-panel binary, spoken to over HTTP (see panel.py)."""
