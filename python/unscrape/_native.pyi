# Type stubs of the compiled module (python/src/*.rs); the docs are in README.md, "Python".
from os import PathLike
from typing import Any, Optional, Sequence, Union

__version__: str

class Result:
    """One cleaned document."""

    @property
    def text(self) -> str: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def changed(self) -> bool: ...
    @property
    def edits(self) -> list[dict[str, Any]]: ...
    @property
    def suspects(self) -> list[dict[str, Any]]: ...

class Cleaner:
    """Cleans texts as `unscrape clean -` does (same rules; with `stats`, same statistics)."""

    def __init__(
        self,
        config: Union[None, str, dict[str, Any]] = None,
        stats: Union[None, str, PathLike[str]] = None,
    ) -> None: ...
    def clean(self, text: str, id: Optional[str] = None, *, group: Optional[str] = None) -> Result: ...
    def clean_batch(
        self,
        texts: Sequence[str],
        ids: Optional[Sequence[Optional[str]]] = None,
        *,
        groups: Optional[Sequence[Optional[str]]] = None,
    ) -> list[Result]: ...
    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def stats(self) -> Optional[str]: ...

def host_of(url: str) -> Optional[str]: ...
