"""The read-only HTTP layer over the named Cypher queries."""
