"""Synthetic typical-year profiles behind the bundled data (generation only).

Nothing here is imported when greenscen *reads* its bundled data; these modules need
pvlib, windpowerlib and scipy and run only when the profiles are regenerated with
``python -m greenscen.data.generate_profiles``.
"""
