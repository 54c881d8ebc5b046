"""Search: Japanese words in the English search index."""
