"""The shipped resources as a package, so they travel with the installed program: examples, data sets,
style sheets and icons. Code finds them as the folder of this package (see ``app/resources.py``); nothing
here is imported for its code, and nothing writes into this folder."""
