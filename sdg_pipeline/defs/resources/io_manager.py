"""One Parquet file per asset partition, under the data root (local or S3)."""

from __future__ import annotations

import io

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from upath import UPath

from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.io.publish import atomic_write_bytes
from sdg_pipeline.schemas import SCHEMAS


def frame_to_table(asset_name: str, frame: pd.DataFrame) -> pa.Table:
    """Cast to the asset's declared schema so contract drift fails loudly at write time."""
    schema = SCHEMAS.get(asset_name)
    if schema is None:
        return pa.Table.from_pandas(frame, preserve_index=False)
    missing = [name for name in schema.names if name not in frame.columns]
    if missing:
        raise ValueError(f"{asset_name}: frame lacks columns {missing}")
    if list(frame.columns) != schema.names:  # selecting copies every column: only when needed
        frame = frame[schema.names]
    # A nested column no row fills (`turns` of single-turn pairs) comes out of pandas as float
    # NaN, which arrow will not cast to a list: it is all nulls, so say so.
    unfilled = {
        field.name: pd.Series([None] * len(frame), index=frame.index, dtype=object)
        for field in schema
        if pa.types.is_nested(field.type)
        and frame[field.name].dtype != object
        and frame[field.name].isna().all()
    }
    if unfilled:
        frame = frame.assign(**unfilled)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


# zstd sets up a context per column chunk: for a document's few rows (a table of 31 columns)
# that is ~1 ms of a 1.7 ms write and as much again on every read, to save a few KiB over snappy.
# A large partition (a long document's markdown, a big table's chunks) keeps zstd's ratio.
ZSTD_FROM_BYTES = 1 << 20


def parquet_bytes(table: pa.Table) -> bytes:
    """The partition's Parquet file. No column statistics: files are read whole, never
    filtered, and min/max of long text columns were half the bytes of a small file."""
    buffer = io.BytesIO()
    codec = "zstd" if table.nbytes >= ZSTD_FROM_BYTES else "snappy"
    pq.write_table(table, buffer, compression=codec, write_statistics=False)
    return buffer.getvalue()


class DocumentParquetIOManager(dg.UPathIOManager):
    extension = ".parquet"

    def __init__(self, base_path: UPath) -> None:
        super().__init__(base_path=base_path)
        self.root = base_path

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        """A batch step hands {partition key: frame}: one file per partition, as for one.

        Dagster's UPathIOManager persists one partition per output; a partition missing from the
        mapping (its document failed in the batch) is not written, so its last file stays.
        """
        if not isinstance(obj, dict):
            super().handle_output(context, obj)
            return
        self.make_directory(self._folder(context))
        for key, frame in obj.items():
            self.dump_to_path(context=context, obj=frame, path=self._partition_path(context, key))

    def load_input(self, context: dg.InputContext) -> object:
        """A batch step's input: {partition key: frame} of the partitions that have a file.

        A document that stopped upstream in the batch has none, and is left out quietly (the
        step leaves it out anyway); one partition loads exactly as Dagster does.
        """
        if not context.has_asset_partitions or len(context.asset_partition_keys) == 1:
            return super().load_input(context)
        frames = {}
        for key in context.asset_partition_keys:
            path = self._partition_path(context, key)
            if path.exists():
                frames[key] = self.load_from_path(context, path)
        return frames

    def _folder(self, context: dg.InputContext | dg.OutputContext) -> UPath:
        return self.root / self.get_asset_relative_path(context)

    def _partition_path(self, context: dg.InputContext | dg.OutputContext, key: str) -> UPath:
        path = self.get_path_for_partition(context, self._folder(context), key)
        return path.with_name(path.name + self.extension)

    def dump_to_path(self, context: dg.OutputContext, obj: pd.DataFrame, path: UPath) -> None:
        data = parquet_bytes(frame_to_table(context.asset_key.path[-1], obj))
        # Temp file + rename: a crash mid-write never leaves a partial partition behind.
        atomic_write_bytes(path, data)

    def load_from_path(self, context: dg.InputContext, path: UPath) -> pd.DataFrame:
        # One file, never a dataset: `pq.read_table` builds dataset machinery per call, about
        # half of a small partition's read.
        with path.open("rb") as handle:
            return pq.ParquetFile(handle).read().to_pandas()

    def get_metadata(self, context: dg.OutputContext, obj: pd.DataFrame) -> dict:
        # A batch's row counts are per partition, set by the step itself.
        return {} if isinstance(obj, dict) else {"dagster/row_count": len(obj)}


class ParquetIOManager(dg.ConfigurableIOManagerFactory):
    """Writes each partition of each asset to `<data_root>/<asset>/<partition>.parquet`."""

    storage: StorageResource

    def create_io_manager(self, context: dg.InitResourceContext) -> DocumentParquetIOManager:
        return DocumentParquetIOManager(base_path=self.storage.root())
