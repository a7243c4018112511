"""Bundled data: typical-year hourly profiles of Inner Mongolia sites and industrial loads.

All bundled profiles are synthetic assumptions, not measurements (see ``DATA_CARD.md``).
Regenerate them with ``python -m greenscen.data.generate_profiles``.
"""

from greenscen.data.profiles import (
    list_load_shapes,
    list_sites,
    list_weather_years,
    load_shape,
    load_shape_info,
    read_profile_csv,
    site_capacity_factors,
    site_info,
)

__all__ = [
    "list_sites",
    "list_weather_years",
    "list_load_shapes",
    "site_info",
    "load_shape_info",
    "site_capacity_factors",
    "load_shape",
    "read_profile_csv",
]
