"""A page of a long list: which page, how many rows a page holds, the rows, and how many there are."""
from __future__ import annotations

from dataclasses import dataclass, field

PAGE_MAX = 100_000  # beyond any list here; keeps the OFFSET a number every database takes


def page_number(value) -> int:
    return min(PAGE_MAX, max(1, int(value or 1)))


@dataclass
class Page:
    number: int
    per_page: int
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page
