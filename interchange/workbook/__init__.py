"""The Excel workbook of a standard: layout shared by the export and the import."""
