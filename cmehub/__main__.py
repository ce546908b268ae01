"""``python -m cmehub``."""

from cmehub.cli import main

main()
