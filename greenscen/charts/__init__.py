"""Brief-ready charts: one style, Chinese or English labels, PNG/SVG/PDF export."""

from greenscen.charts.style import (  # noqa: F401
    HATCHES,
    PALETTE,
    apply_brief_style,
    cjk_font_name,
    export_figure,
    finish_figure,
    label,
)
