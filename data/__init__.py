"""policygraph's package data (read through ingest/resources.py, never by path): rules/, shapes/,
ontology.ttl, profiles/, corpus/. Installed as the package ``policygraph_data``."""
POLICYGRAPH_DATA = True  # tells this package from any other ``data`` on sys.path
