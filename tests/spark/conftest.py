"""The Spark backend's tests run only under ``make test-spark`` (DHAKIRA_TEST_SPARK=1).

pyspark is about 430 MB and starts a JVM, so ``make test`` leaves these out, even where
pyspark happens to be installed.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("DHAKIRA_TEST_SPARK") == "1" else ["test_*.py"]
