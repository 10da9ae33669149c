"""Model → RDF with provenance, the store, NetworkX views, exports."""
