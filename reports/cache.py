"""HR's figures, counted once and kept for REPORTS_CACHE_SECONDS.

At national scale one dashboard is a dozen aggregates over millions of invitations and
journal entries (several seconds on two cores), so the counted Dashboard is kept in the
cache, keyed by the filters and the language, and what is made of it (the page's rendered
figures, each export file) beside it. Beat counts the default view again before it runs
out (reports.tasks.refresh_dashboard), so HR's first look is never the slow one. The page
says when its figures were counted.

What is kept is counts, the same for every HR reader (the view checks who may read before
it looks here). A sick-leave import makes every kept figure stale at once (`figures_changed`):
HR expects to see the file they just applied. Attendance and reflections reach the figures
within REPORTS_CACHE_SECONDS. If the cache server is down, the figures are counted for the
request as before, and a warning is logged.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from redis.exceptions import RedisError

from reports.effekt import Effekt, EffektFilters, effekt
from reports.forms import Filters
from reports.selectors import Dashboard, dashboard

logger = logging.getLogger(__name__)

VERSION_KEY = "reports:version"
T = TypeVar("T")


def _get(key: str):
    try:
        return cache.get(key)
    except RedisError:
        logger.warning("The cache could not be read; HR's figures are counted for this request")
        return None


def _set(key: str, value) -> None:
    try:
        cache.set(key, value, settings.REPORTS_CACHE_SECONDS)
    except RedisError:
        logger.warning("The cache could not be written; HR's figures were not kept")


def _key(kind: str, filters: Filters, *parts: str) -> str:
    version = _get(VERSION_KEY) or 0
    described = json.dumps(
        [filters.for_log(), get_language(), version, *parts], sort_keys=True, default=str
    )
    return f"reports:{kind}:{hashlib.sha256(described.encode()).hexdigest()}"


def cached_dashboard(filters: Filters, *, refresh: bool = False) -> Dashboard:
    """The dashboard for these filters: kept, or counted now (always, with `refresh`)."""
    key = _key("dashboard", filters)
    board = None if refresh else _get(key)
    if board is None:
        board = dashboard(filters)
        # The stamp first: a page rendered from an older board is then not reused.
        _set(_key("stamp", filters), board.computed_at.isoformat())
        _set(key, board)
    return board


def made_from_dashboard(filters: Filters, parts: tuple, make: Callable[[Dashboard], T]) -> T:
    """What `make` makes of the counted dashboard (the page's figures, an export file), made
    once per count and per `parts` (what else it depends on: the query string, the table
    and format).

    Reading what was made needs only the small stamp and the result, not the dashboard,
    which at national scale is several megabytes to unpickle."""
    stamp = _get(_key("stamp", filters))
    if stamp:
        made = _get(_key("made", filters, stamp, *parts))
        if made is not None:
            return made
    board = cached_dashboard(filters)
    made = make(board)
    _set(_key("made", filters, board.computed_at.isoformat(), *parts), made)
    return made


def figures_changed() -> None:
    """Every kept figure is stale (new keys from now on; the old ones run out)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet
            cache.set(VERSION_KEY, 1, None)
    except RedisError:
        logger.warning("The cache could not be written; kept figures stay until they run out")


def _counted_effekt(filters: EffektFilters) -> EffektFilters:
    """The Effekt figures are counted for every group whatever förvaltning is chosen (the
    choice picks what is shown first): one count per period and years."""
    return replace(filters, forvaltning=None)


def cached_effekt(filters: EffektFilters, *, refresh: bool = False) -> Effekt:
    """The Effekt figures for these choices (reports.effekt): kept, or counted now."""
    counted = _counted_effekt(filters)
    key = _key("effekt", counted)
    figures = None if refresh else _get(key)
    if figures is None:
        figures = effekt(counted)
        _set(_key("effekt-stamp", counted), figures.computed_at.isoformat())
        _set(key, figures)
    return figures


def made_from_effekt(filters: EffektFilters, parts: tuple, make: Callable[[Effekt], T]) -> T:
    """What `make` makes of the counted Effekt figures (the page, a file), once per count
    and per `parts`, like made_from_dashboard."""
    counted = _counted_effekt(filters)
    stamp = _get(_key("effekt-stamp", counted))
    if stamp:
        made = _get(_key("effekt-made", counted, stamp, *parts))
        if made is not None:
            return made
    figures = cached_effekt(filters)
    made = make(figures)
    _set(_key("effekt-made", counted, figures.computed_at.isoformat(), *parts), made)
    return made
