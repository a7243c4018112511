"""The bottom layer: typed parameters and time-window helpers, shared by the model and the results.

Both the optimisation model and the independent results code import from here; nothing here
imports either of them, so the compliance check stays independent of the model.
"""
