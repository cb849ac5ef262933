"""Import Great Expectations only through here, so its environment is set before it loads.

GX reads GX_ANALYTICS_ENABLED when a context starts; the pipeline must never phone home (no
network besides loopback), so analytics are switched off unless someone deliberately set it.
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

__all__ = ["Column", "gx", "gxe"]
