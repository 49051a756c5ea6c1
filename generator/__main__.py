"""`python -m generator` runs the Folio command line."""

from generator.cli import main

raise SystemExit(main())
