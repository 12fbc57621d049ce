"""文津 Wenjin: library services platform for public library networks."""

__version__ = "0.1.0"
