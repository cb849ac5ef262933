from sdg_pipeline.assets.chunk import chunks
from sdg_pipeline.assets.convert import markdown_documents
from sdg_pipeline.assets.dataset import training_jsonl
from sdg_pipeline.assets.examples import training_examples
from sdg_pipeline.assets.generate import qa_pairs
from sdg_pipeline.assets.ingest import raw_documents
from sdg_pipeline.assets.judge import judged_pairs

DOCUMENT_ASSETS = [
    raw_documents,
    markdown_documents,
    chunks,
    qa_pairs,
    judged_pairs,
    training_examples,
]
ALL_ASSETS = [*DOCUMENT_ASSETS, training_jsonl]
