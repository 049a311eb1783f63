"""The lesson: a title page, then one page per step of the program — the canvas around the
step's node with values and gradients on the edges, the step's name and its filled-in formulas
— as a PDF of slide size or as PNG pages. ``book`` builds the pages, ``page`` paints one,
``render`` writes the files."""
