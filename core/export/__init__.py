"""Exports: the graph and its Program as a NumPy script in the notebook's style, a Jupyter
notebook, and a PyTorch module. Pure functions of the graph (no Qt, no files: the callers
write the text they return)."""
from core.export.errors import ExportError
from core.export.notebook import export_notebook
from core.export.script import export_script
from core.export.torch_module import export_torch

__all__ = ["ExportError", "export_notebook", "export_script", "export_torch"]
