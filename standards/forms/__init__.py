"""Forms of the standard editor, generated from the field registry."""
