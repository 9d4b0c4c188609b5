"""Locations and areas."""
