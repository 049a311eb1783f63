"""User layers: classes in the notebook's style, run only after trust, with copies, time limits
and errors at the user's lines. ``source`` reads ports without running code, ``trust`` keeps the
trusted code hashes, ``runner`` compiles and calls, ``op`` is the ``CustomLayer`` op, ``check``
the gradient check of one layer, ``templates`` the notebook's classes for the built-in ops."""
