"""Keeping the cyclic garbage collector off a district's tree and model.

Loading a city-sized district allocates millions of containers and makes no garbage cycles;
the collector would walk the growing tree again and again for nothing (at 10,000 buildings it
doubles the time). ``paused`` turns it off while a district is loaded and modelled; reference
counting still frees everything as usual, and the collector runs again, as the caller had it,
as soon as the block ends. ``kept`` keeps it off what was built for as long as a command
works on it: without that, every full collection during the rules, the graph or the documents
walks the whole model again (at 10,000 buildings the rules took 5.2 s instead of 3.5 s).
``frozen`` does the same for what a stage made on top of the model and keeps for the rest of
its work (a build's plan of 134,000 documents).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator

#: Blocks (``kept`` after its ``keep``, ``frozen``) holding objects in the permanent
#: generation; only the last of them to end hands them back.
_holds = 0


def _freeze() -> None:
    global _holds
    gc.freeze()
    _holds += 1


def _thaw() -> None:
    global _holds
    _holds -= 1
    if _holds == 0:
        gc.unfreeze()


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


@contextmanager
def kept() -> Iterator[Callable[[], None]]:
    """For a command that loads a district and then works on it: the collector is off from the
    start of the block; calling the ``keep`` function it gives (once the district and its model
    are built) hands everything that exists to the permanent generation (``gc.freeze``) and
    turns the collector back on for what the work makes. At the end of the block everything is
    handed back (``gc.unfreeze``) and the caller's setting restored.

    Freezing before the collector comes back matters: the first collection after a pause would
    otherwise walk every object the pause let pile up, the whole model (about a second at
    10,000 buildings), and the next full one would walk it again."""
    enabled = gc.isenabled()
    gc.disable()
    frozen = False

    def keep() -> None:
        nonlocal frozen
        if not frozen:
            _freeze()
            frozen = True
        if enabled:
            gc.enable()

    try:
        yield keep
    finally:
        if frozen:
            _thaw()
        if enabled:
            gc.enable()
        else:
            gc.disable()


@contextmanager
def frozen() -> Iterator[Callable[[], None]]:
    """Hand everything that exists now to the permanent generation for the block, so that no
    collection inside it walks what was made before it (the collector would otherwise walk a
    city's plan of documents at every full collection, and promote it through every younger
    one: 1 s of a 10,000-building build). Handed back at the end, unless a ``kept`` or
    ``frozen`` block around this one still holds it.

    The block gets a function, ``settle``, for its loop: it collects the young generations and
    hands what survives them (what the work keeps, such as a build's shared records) to the
    permanent generation too."""
    _freeze()
    try:
        yield _settle
    finally:
        _thaw()


def _settle() -> None:
    gc.collect(1)
    gc.freeze()
