"""Link checking: bounds for `make linkcheck`."""
