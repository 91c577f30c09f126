"""Fictional demo data: tooling for `flask setup` and `flask demo-data`, never used by a feature.

`county` builds Region Sörmland (the embedded default's demo), `national` a fictional country of
about 2,000 homes for benchmarks. Every home, centre and person is made up and reads so.
"""

DEMO_PASSWORD = "demo-losenord"  # the one password of every demo login

from .county import is_empty, load_demo_data  # noqa: E402
from .national import analyze, build_national  # noqa: E402

__all__ = ["DEMO_PASSWORD", "analyze", "build_national", "is_empty", "load_demo_data"]
