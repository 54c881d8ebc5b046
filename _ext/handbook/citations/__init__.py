"""Citations: the .bib rules and the bibliography style."""
