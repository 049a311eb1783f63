"""The main window: menus, status bar, files, autosave, help, screenshots, and starting it (``launch``)."""
