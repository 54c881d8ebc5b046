"""Rendering: SVG figures, MathML, tables, the book's layout, the theme's assets and header."""
