"""The Jinja sandbox every Word template is filled in, with a budget of work per render.

Jinja's ImmutableSandboxedEnvironment stops attribute tricks, unsafe calls and changes to lists
and dicts, but not work: three nested loops, a huge number, a 100 MB string. Here every render
runs under a Budget (see `limits()`):

- loop iterations are counted across nesting: at compile time every ``{% for %}`` iterable is
  wrapped in `count_iterations`, and so is a recursive ``loop(...)`` call;
- every call, filter, concatenation and output chunk is a tick that checks the CPU deadline;
- integers may not grow beyond 64 bits; widths, counts and repetitions are capped (`width`);
- padding in ``%``- and ``format``-strings is capped, ``lipsum`` and ``range`` are small;
- every string or list an operator, filter or method makes, and the total output, are capped.

A breach raises RenderLimitExceeded (a SecurityError) whose text says what to change, in
Swedish. This is the first line of defence; the second is the process the render runs in
(process.py), with CPU, memory and wall-clock limits for what one Python operation can still do.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import string
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import wraps

from jinja2 import StrictUndefined, Template, Undefined, nodes, pass_eval_context
from jinja2.exceptions import FilterArgumentError, SecurityError
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from jinja2.visitor import NodeTransformer
from markupsafe import soft_str


class RenderLimitExceeded(SecurityError):
    """A template asked for more work than a render may do. str() is Swedish, for the user."""


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 5.0  # CPU time of one render
    iterations: int = 100_000  # loop iterations, all loops of the render together
    output_chars: int = 8_000_000  # characters of XML the template parts produce together
    string_chars: int = 1_000_000  # one string or list made by an operator, filter or method
    width: int = 10_000  # a width, count or repetition passed to a filter or method
    int_bits: int = 64  # integers computed in the template
    range_steps: int = 1_000  # one range()
    lipsum_paragraphs: int = 20


DEFAULT_LIMITS = Limits()


def _number(value: int) -> str:
    """1 000 000, the Swedish way, with no-break spaces so a number never wraps."""
    return f"{value:,}".replace(",", "\u00a0")


class Budget:
    """The work one render has left. Not shared between threads (a contextvar holds it)."""

    CHECK_EVERY = 16  # ticks between looks at the CPU clock

    def __init__(self, limits: Limits = DEFAULT_LIMITS):
        self.limits = limits
        self.deadline = time.process_time() + limits.cpu_seconds
        self.iterations = 0
        self.output = 0
        self._ticks = 0

    def tick(self) -> None:
        self._ticks += 1
        if self._ticks % self.CHECK_EVERY == 0 and time.process_time() > self.deadline:
            raise RenderLimitExceeded(
                f"att fylla i mallen tog mer än {self.limits.cpu_seconds:.3g} sekunder"
            )

    def count(self, iterable) -> CountedIterable:
        return CountedIterable(iterable, self)

    def add_output(self, chars: int) -> None:
        self.output += chars
        if self.output > self.limits.output_chars:
            raise RenderLimitExceeded(
                f"mallen blir större än {_number(self.limits.output_chars)} tecken"
            )


class CountedIterable:
    """An iterable whose items are counted against the budget; keeps len() so that
    loop.length and loop.last do not have to read the whole sequence first."""

    def __init__(self, iterable, budget: Budget):
        self._iterable = iterable
        self._budget = budget

    def __len__(self) -> int:
        return len(self._iterable)

    def __iter__(self) -> Iterator:
        budget = self._budget
        limit = budget.limits.iterations
        for item in self._iterable:
            budget.iterations += 1
            if budget.iterations > limit:
                raise RenderLimitExceeded(
                    f"mallens loopar upprepas mer än {_number(limit)} gånger sammanlagt"
                )
            budget.tick()
            yield item


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "render_budget", default=None
)


@contextlib.contextmanager
def limits(value: Limits = DEFAULT_LIMITS):
    """Every template rendered inside shares one fresh budget."""
    token = _BUDGET.set(Budget(value))
    try:
        yield _BUDGET.get()
    finally:
        _BUDGET.reset(token)


def current_budget() -> Budget:
    budget = _BUDGET.get()
    if budget is None:
        raise RuntimeError("templates are rendered inside limits()")
    return budget


class _LRUCache:
    """A small thread-safe least-recently-used cache: value = cache.get_or_make(key, make)."""

    def __init__(self, entries: int):
        self._items: OrderedDict = OrderedDict()
        self._entries = entries
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = make()  # outside the lock: two threads may both make it, harmlessly
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._entries:
                self._items.popitem(last=False)
        return value


class BoundedTemplate(Template):
    """Counts what a template part writes, chunk by chunk, against the budget."""

    def render(self, *args, **kwargs) -> str:
        if _BUDGET.get() is None:  # rendered on its own: a budget of its own
            with limits():
                return self.render(*args, **kwargs)
        ctx = self.new_context(dict(*args, **kwargs))
        budget = current_budget()
        try:
            parts = []
            for chunk in self.root_render_func(ctx):
                budget.add_output(len(chunk))
                budget.tick()
                parts.append(chunk)
            return self.environment.concat(parts)
        except Exception:
            self.environment.handle_exception()


class _Bounding(NodeTransformer):
    """Rewrites a parsed template: every loop's iterable is counted, every ``~`` is bounded."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        node = self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("count_iterations"),
            [node.iter],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:
        node = self.generic_visit(node)
        return nodes.Call(
            nodes.EnvironmentAttribute("bounded_concat"),
            node.nodes,
            [],
            None,
            None,
            lineno=node.lineno,
        )


# Filters whose numeric options make output or work grow: a width, a count, a precision.
SIZED_FILTERS = frozenset(
    {
        "batch",
        "center",
        "filesizeformat",
        "indent",
        "int",
        "round",
        "slice",
        "tojson",
        "truncate",
        "urlize",
        "wordwrap",
    }
)

# %-formatting: flags, then a width and a precision that may be "*" (taken from the arguments).
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with a work budget (see the module's doc), autoescaping XML, and a small
    cache of compiled templates: the same template XML is compiled once, not for every document
    (compiling is most of docxtpl's cost)."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, *, strict: bool = False, cache_entries: int = 64):
        super().__init__(autoescape=True, undefined=StrictUndefined if strict else Undefined)
        self.globals["range"] = self._range
        self.globals["lipsum"] = self._lipsum
        self.filters["format"] = self._format_filter
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self._compiled = _LRUCache(cache_entries)

    # --- compiling: count loops and concatenations ---------------------------------------

    def _generate(self, source, name, filename, defer_init=False):
        return super()._generate(_Bounding().visit(source), name, filename, defer_init)

    def count_iterations(self, iterable) -> Iterable:
        return current_budget().count(iterable)

    @pass_eval_context
    def bounded_concat(self, eval_ctx, *parts):
        """``a ~ b`` (Jinja's own markup_join/str_join, with the length checked first)."""
        current_budget().tick()
        self._check_size(sum(len(p) for p in parts if isinstance(p, str)))
        joined = markup_join(parts) if eval_ctx.autoescape else str_join(parts)
        return self._check_result(joined)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled.get_or_make(
            source, lambda: super(TemplateEnvironment, self).from_string(source)
        )

    # --- checks ------------------------------------------------------------------------------

    @staticmethod
    def _limits() -> Limits:
        return current_budget().limits

    def _check_size(self, size: int) -> None:
        limit = self._limits().string_chars
        if size > limit:
            raise RenderLimitExceeded(
                f"en text eller lista i mallen blir längre än {_number(limit)} tecken"
            )

    def _check_result(self, value):
        if isinstance(value, (str, list, tuple)):
            self._check_size(len(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            self._check_int(value)
        return value

    def _check_int(self, value: int) -> None:
        if value.bit_length() > self._limits().int_bits:
            raise RenderLimitExceeded("mallen räknar med för stora tal")

    def _check_width(self, values) -> None:
        width = self._limits().width
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > width:
                raise RenderLimitExceeded(
                    f"talet {_number(value)} är för stort som bredd eller antal i mallen "
                    f"(högst {_number(width)})"
                )

    def _check_format_spec(self, text: str, percent: bool) -> None:
        """Padding and precision in a format string: no '*' or nested field, at most `width`."""
        width = self._limits().width
        if percent:
            specs = [m.groups() for m in _PERCENT_SPEC.finditer(text)]
            numbers = [n for spec in specs for n in spec if n]
        else:
            numbers = []
            try:
                for _, _, spec, _ in string.Formatter().parse(text):
                    if spec and "{" in spec:
                        raise RenderLimitExceeded("mallen använder en inbäddad formatbredd")
                    numbers += _DIGITS.findall(spec or "")
            except ValueError:
                return  # a malformed format string fails on its own, cheaply
        for number in numbers:
            if number == "*":
                raise RenderLimitExceeded("mallen tar formatbredden från ett tal (*)")
            if len(number) > 6 or int(number) > width:
                raise RenderLimitExceeded(f"en formatbredd i mallen är större än {_number(width)}")

    def _check_replace(self, text, old, new, count=-1) -> None:
        if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
            hits = text.count(old) if old else len(text) + 1
            if isinstance(count, int) and count >= 0:
                hits = min(hits, count)
            self._check_size(len(text) + hits * max(len(new) - len(old), 0))

    # --- operators, calls, filters, globals ----------------------------------------------

    def call_binop(self, context, operator, left, right):
        current_budget().tick()
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and ints and right > 0:
            if max(abs(left).bit_length(), 1) * right > self._limits().int_bits and abs(left) > 1:
                raise RenderLimitExceeded("mallen räknar med för stora tal")
        elif operator == "*":
            if ints:
                if abs(left).bit_length() + abs(right).bit_length() > self._limits().int_bits + 1:
                    raise RenderLimitExceeded("mallen räknar med för stora tal")
            else:
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                        self._check_width([count])
                        self._check_size(len(seq) * max(count, 0))
        elif operator == "%" and isinstance(left, str):
            self._check_format_spec(left, percent=True)
        elif operator == "+" and isinstance(left, (str, list, tuple)):
            if isinstance(right, (str, list, tuple)):
                self._check_size(len(left) + len(right))
        return self._check_result(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: B902, N805
        current_budget().tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            __self._check_width(list(args) + list(kwargs.values()))
            if getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
                __self._check_replace(owner, *args[:3])
        elif isinstance(__obj, LoopContext) and args:
            # A recursive loop's children are iterations too.
            args = (current_budget().count(args[0]), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        return __self._check_result(result)

    def wrap_str_format(self, value):
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        @wraps(wrapper)
        def checked(*args, **kwargs):
            self._check_format_spec(text, percent=False)
            return self._check_result(wrapper(*args, **kwargs))

        return checked

    def _bounded_filter(self, name, func):
        sized = name in SIZED_FILTERS
        # The filter's own options come after the value, and after the environment or context
        # if the filter asks for one.
        offset = 2 if getattr(func, "jinja_pass_arg", None) else 1

        def bounded(*args, **kwargs):
            current_budget().tick()
            if sized:
                self._check_width(list(args[offset:]) + list(kwargs.values()))
            options = args[offset:]
            if name == "replace" and len(options) >= 2:
                self._check_replace(str(args[offset - 1]), *options[:3])
            if name == "indent":
                width = options[0] if options else kwargs.get("width", 4)
                pad = len(width) if isinstance(width, str) else width
                if isinstance(pad, int):
                    text = str(args[offset - 1])
                    self._check_size(len(text) + (text.count("\n") + 1) * pad)
            return self._check_result(func(*args, **kwargs))

        bounded.__name__ = getattr(func, "__name__", name)
        if hasattr(func, "jinja_pass_arg"):
            bounded.jinja_pass_arg = func.jinja_pass_arg
        return bounded

    def _format_filter(self, value, *args, **kwargs):
        """Jinja's format filter (``'%s'|format(x)``), with the padding checked first."""
        self._check_format_spec(str(value), percent=True)
        if args and kwargs:
            raise FilterArgumentError("format tar antingen positionella eller namngivna argument")
        return soft_str(value) % (kwargs or args)

    def _range(self, *args):
        self._check_width(args)
        rng = range(*args)
        limit = self._limits().range_steps
        if len(rng) > limit:
            raise RenderLimitExceeded(f"range är begränsad till {_number(limit)} steg")
        return rng

    def _lipsum(self, n=5, html=True, min=20, max=100):  # noqa: A002 (Jinja's own names)
        limit = self._limits().lipsum_paragraphs
        if not all(isinstance(v, int) for v in (n, min, max)):
            raise TypeError("lipsum tar heltal")
        if n > limit or max > 200 or min > max:
            raise RenderLimitExceeded(f"lipsum är begränsad till {limit} stycken med högst 200 ord")
        return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def with_limits(value: Limits | None = None, **changes) -> Limits:
    return replace(value or DEFAULT_LIMITS, **changes)
