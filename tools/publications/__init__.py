"""Harvest the publications of each ILANCE programme from INSPIRE-HEP and HAL.

Why a harvester: the handbook's own bibliography (``bib/*.bib``) holds the sources that pages
cite, chosen and checked by hand. A programme's full publication list changes every week and
lives in the databases physicists already keep up to date: INSPIRE-HEP for particle,
astroparticle and neutrino physics, and HAL, the French national open archive where CNRS
laboratories deposit their papers. ``make publications`` (``python -m publications`` with
``tools/`` on the path) copies what they say into committed snapshots, one ``.bib`` file and
one JSON sidecar of provenance per programme in ``bib/publications/``, so that the build
itself never touches the network.

One job per module:

- :mod:`publications.http`: polite HTTP GETs (rate limit, bounded waits after a 429).
- :mod:`publications.inspire`: INSPIRE-HEP's ``api/literature`` search, JSON and BibTeX.
- :mod:`publications.hal`: HAL's search API with cursor paging, and identifier look-ups.
- :mod:`publications.identifiers`: DOI and arXiv identifiers in one comparable form.
- :mod:`publications.merge`: one entry per paper across both sources and the handbook.
- :mod:`publications.snapshot`: the ``.bib`` files, their sidecars and the HAL report.
- :mod:`publications.config`: the queries of each programme (``bib/publications/queries.toml``).
"""
