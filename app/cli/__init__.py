"""The ``backprop-workbench`` command: parsing and exit statuses (``main``), headless sub-commands (``commands``)."""
