"""`python -m intake` runs the `intake` command."""

from intake.cli import main

main()
