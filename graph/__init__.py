"""Everything that talks to Neo4j: the local server, the connection, the schema, writes and export."""
