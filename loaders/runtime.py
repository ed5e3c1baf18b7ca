"""Process set-up for extraction: one math thread per process.

natasha's models multiply small matrices; OpenBLAS's thread pool gains nothing on them and, on a
busy machine, its spinning threads made Russian NER 8x slower in `klaster bench extract` (1.5 vs
12 docs/s on 2 cores). Parallelism comes from worker processes instead. The variables must be set
before numpy is first imported; a value the user already set is kept.
"""
from __future__ import annotations

import os
import sys

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def single_threaded_math() -> bool:
    """Ask BLAS libraries for one thread; False when numpy was already imported (too late)."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    return "numpy" not in sys.modules
