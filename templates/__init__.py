"""The shipped Jinja2 templates and stylesheet of the handouts.

A package only so that ``importlib.resources`` finds them in an installed wheel;
the files are plain templates: copy the folder and pass ``--templates``.
"""
