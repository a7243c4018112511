"""Reading user files and writing outputs whole or not at all."""

from greenscen.io.output import OUTPUT_MARKER, output_dir, write_json  # noqa: F401
