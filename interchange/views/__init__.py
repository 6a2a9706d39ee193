"""Views of the interchange app: exports (public and full) and the workbook import."""
