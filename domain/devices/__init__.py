"""Cameras and recorders: registration, placement, search."""
