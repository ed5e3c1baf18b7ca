"""Klaster: a knowledge graph of Russia's industrial clusters."""
from __future__ import annotations

__version__ = "0.1.0"
