"""The custom-layer room of the window: the code editor and its colouring, the trust bar, the
executor that keeps user code off the GUI thread, and the per-layer gradient check."""
