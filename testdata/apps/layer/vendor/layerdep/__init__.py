"""A vendored package so the managed layer is not empty (Chalice drops empty layers)."""
VALUE = 1
