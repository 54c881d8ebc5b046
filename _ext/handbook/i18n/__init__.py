"""Translations: the handbook message catalogue and the translation status."""
