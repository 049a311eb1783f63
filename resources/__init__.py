"""The shipped resources as a package, so they travel with the installed program: examples, data sets,
style sheets and icons. Code finds them with ``importlib.resources.files("resources")`` (see
``app/resources.py``); nothing here is imported for its code, and nothing writes into this folder."""
