"""Staff views of the standards app, one module per feature."""
