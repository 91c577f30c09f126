"""Long lists shown a page at a time (the year view, the planner's start page)."""

from __future__ import annotations

from functools import cached_property


class PagedRows:
    """pages, first_shown and page_rows of a sorted list; the class has `rows`, `per_page` and
    `page` (the page asked for, kept within 1..pages by the caller)."""

    rows: list
    per_page: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.per_page))

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * self.per_page

    @cached_property
    def page_rows(self) -> list:
        """The rows of this page: the table renders these, however many are in scope. One list
        per overview (what is computed per list, such as the row panels, is computed once)."""
        return self.rows[self.first_shown : self.first_shown + self.per_page]
