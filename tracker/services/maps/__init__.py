"""Influence maps (issue 6): the data behind each map view, masked for the person asking.

A request takes the network's history (``load_history``, kept in the worker's memory per
data version: :class:`MapCache`), cuts it at the dates the view needs, builds the person ties
the filters ask for, lays them out with ``tracker.analysis.layout`` and returns the JSON
document of docs/maps.md. Nothing is written.

Privacy is decided on the server, never in the browser (``privacy``: ``names_policy`` and
:class:`Namer`, whose docstring gives the rules).

One module per concept: ``filters`` (the request's parameters), ``privacy``, ``document``
(nodes, edges, legend, summary), ``views`` (network, schools, ego, sociogram), ``whatif``,
``change``, ``cache``, ``page`` (one request: ``build``), ``export`` (CSV), ``settings`` (named
maps). The person ties and their figures are pure analysis: ``tracker.analysis.ties``.
"""

from tracker.analysis.ties import Figures, Tie, Ties, figures, person_ties
from tracker.services.maps.cache import MapCache, Memory
from tracker.services.maps.change import change_view
from tracker.services.maps.document import EDGE_LABELS, LAYERS, NO_SCHOOL, Context
from tracker.services.maps.export import CSV_PARTS, EDGE_COLUMNS, NODE_COLUMNS, to_csv
from tracker.services.maps.filters import KINDS, VIEWS, Filters, filtered, read_filters
from tracker.services.maps.page import TOPIC_LABELS, MapPage, build
from tracker.services.maps.privacy import (
    NAMED_MAPS_STATEMENT,
    PRIVACY_NOTES,
    Namer,
    consent_says_named,
    names_policy,
)
from tracker.services.maps.settings import save_settings, settings_view
from tracker.services.maps.views import ego_view, network_view, schools_view, sociogram_view
from tracker.services.maps.whatif import whatif_view

__all__ = [
    "CSV_PARTS",
    "EDGE_COLUMNS",
    "EDGE_LABELS",
    "KINDS",
    "LAYERS",
    "NAMED_MAPS_STATEMENT",
    "NODE_COLUMNS",
    "NO_SCHOOL",
    "PRIVACY_NOTES",
    "TOPIC_LABELS",
    "VIEWS",
    "Context",
    "Figures",
    "Filters",
    "MapCache",
    "MapPage",
    "Memory",
    "Namer",
    "Tie",
    "Ties",
    "build",
    "change_view",
    "consent_says_named",
    "ego_view",
    "figures",
    "filtered",
    "names_policy",
    "network_view",
    "person_ties",
    "read_filters",
    "save_settings",
    "schools_view",
    "settings_view",
    "sociogram_view",
    "to_csv",
    "whatif_view",
]
