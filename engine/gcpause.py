"""Pausing the cyclic garbage collector while a district is loaded and modelled.

Loading a city-sized district allocates millions of containers and makes no garbage cycles;
the collector would walk the growing tree again and again for nothing (at 10,000 buildings it
doubles the time). Reference counting still frees everything as usual; the collector runs
again, as the caller had it, as soon as the block ends.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore the caller's setting after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
