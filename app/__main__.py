"""``python -m app``: the same as the ``backprop-workbench`` command."""
import sys

from app.cli.main import main

sys.exit(main())
