"""The window (PySide6, pyqtgraph): the document and its bridge at the top, then one room each for the
command line, the main window, the editor, the inspector, the debugger, training and the undo commands
(see docs/architecture.md)."""
