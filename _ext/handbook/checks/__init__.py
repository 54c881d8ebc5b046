"""Bad input: every mistake in a page, front matter, .bib or data file is a located error."""
