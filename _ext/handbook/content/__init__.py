"""Content features computed from data: knowledge base, review dates, meetings, trips, routes.

Also the programmes' publication lists harvested from INSPIRE-HEP and HAL.
"""
