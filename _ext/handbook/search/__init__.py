"""Search: Japanese words in the English and the Japanese search index."""
