"""What serves the pipeline without being a stage or a flow: the command line, settings, the
reader guard (a pool of worker processes with time and memory limits), the inbox walker, the
Prefect server launcher, the accuracy harness and the errors every layer may raise.

Importing this package loads nothing heavy: each module is imported where it is used.
"""
