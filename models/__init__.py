"""The shipped tagger models, one folder each (``default/``).

A package only so that ``importlib.resources`` finds them in an installed wheel.
"""
