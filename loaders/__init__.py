"""From documents and registries to facts: readers, extraction, normalisation, resolution, loading."""
