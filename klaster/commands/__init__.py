"""Command families of the `klaster` CLI, one module each."""
