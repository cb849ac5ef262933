"""The documents partitions: one dynamic partition per document version (keys: `io.keys`)."""

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
