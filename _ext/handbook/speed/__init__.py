"""Build speed: the extensions HANDBOOK_SPEEDUPS switches (see PRIVATE_APIS.md)."""
