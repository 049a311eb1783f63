"""The engine (NumPy, never Qt): the graph and its checks, the ops, the program, the stepper and the
trainer, the file format and the datasets (see docs/architecture.md)."""
