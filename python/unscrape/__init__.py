"""unscrape: clean scraped text corpora — site chrome, glued tokens, broken encodings — with
every edit reported.

``Cleaner(config=None, stats=None).clean(text)`` gives the text ``unscrape clean -`` prints for
``text`` (same rules; with ``stats``, the same corpus statistics), plus each edit as a dict.
"""

from unscrape._native import Cleaner, Result, __version__, host_of

__all__ = ["Cleaner", "Result", "host_of", "__version__"]
