"""Regions' Excel spending statements: template, reader, validation, error workbook."""
