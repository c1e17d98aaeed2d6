"""kjtui: a terminal browser for Shanghai's science-and-technology reports."""

__version__ = "0.1.0"
