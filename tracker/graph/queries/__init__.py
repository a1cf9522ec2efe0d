"""Named Cypher, one module per concept. Importing this package registers every query."""

from tracker.graph.queries import bulk, health, maintenance, network, person, school

__all__ = ["bulk", "health", "maintenance", "network", "person", "school"]
