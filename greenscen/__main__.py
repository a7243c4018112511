"""``python -m greenscen`` runs the command line, as the ``greenscen`` script does."""

from greenscen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
