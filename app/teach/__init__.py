"""Teaching tools in the window: Expand to Neurons / Collapse, the exercise mode, published values."""
