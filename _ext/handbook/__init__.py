"""The ILANCE Handbook's own Sphinx extensions, one subpackage per purpose.

- ``checks``: bad input; every mistake in a page, a front matter, a .bib or a data file is
  an error with its file and line.
- ``content``: content features; the knowledge base, page review dates, the meeting
  planner, trip footprints, the route diagram and the publication lists.
- ``rendering``: SVG figures, MathML, tables, the book's layout, the theme's assets and
  header, Japanese text.
- ``citations``: the .bib rules and the bibliography style.
- ``search``: Japanese words in the English search index.
- ``speed``: build speed only; the extensions ``HANDBOOK_SPEEDUPS`` switches.
- ``links``: bounds for ``make linkcheck``.
- ``i18n``: the message catalogue of generated text and the translation status.
- ``private_apis``: every private upstream API we use, listed in ``PRIVATE_APIS.md``.

``conf.py`` loads each extension by its dotted name, so each can be left out on its own.
"""
