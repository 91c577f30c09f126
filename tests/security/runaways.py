"""What a template could still make one Python operation do, beyond the sandbox's budget: these
run in the render process as a render's `finish` step, to show the operating-system limits."""

from __future__ import annotations

import os
import time


def spin(document, context) -> None:
    while True:  # CPU until SIGXCPU
        pass


def hog(document, context) -> None:
    blocks = []
    while True:  # memory until RLIMIT_AS
        blocks.append(bytearray(64 * 1024 * 1024))


def hang(document, context) -> None:
    time.sleep(3600)  # neither CPU nor memory: only the wall clock stops it


def crash(document, context) -> None:
    os._exit(3)


def fine(document, context) -> None:
    document.core_properties.title = "Klar"
