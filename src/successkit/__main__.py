"""Run the command line as ``python -m successkit``."""

from successkit.cli import main

raise SystemExit(main())
