"""Checks run against a built site: serving, crawling, validating, scanning, driving a browser.

Each module does one job and works on any folder of static files, so the same code is
proven on the small hand-made site in ``fixtures/`` and then run on the real build.
"""
