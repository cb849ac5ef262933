"""Requests and tokens per accepted pair, per recipe, against the loopback server.

The same chunks (the bundled sample documents' Markdown, or any folder of .md files, chunked and
triaged as the pipeline does) go through each built-in recipe's generation step and then the
judging step, through the real openai client, with an empty response cache. Counted: chat
requests by kind, prompt and completion tokens (the loopback server's estimate: 1.3 per word,
the same for every recipe), pairs accepted by the judge. "Accepted" is a judged pair that
passed; for conversations one accepted conversation counts once.

knowledge-infusion is compared with sdg_hub's equivalent flow, synth_knowledge1.5 (router,
detailed summary, atomic facts, extractive summary, QA from each summary and the raw document,
then one faithfulness, one relevancy and one question-quality request per pair), by counting
what that flow would send for the same chunks: its block list and prompt templates are read
from a checkout of sdg_hub (`--sdg-hub`, a git directory from the fetch tool), the templates
are filled with the same chunks and the summaries/pairs our run produced, and the requests
counted block by block as its filters let rows through (every row passing: a lower bound on
its cost). Completion tokens of its steps are taken as ours for the same step (summaries, QA)
and as 40 tokens per evaluation reply. sdg_hub is not run here: its parsers expect tagged text
replies the loopback server does not write.

    python benchmarks/recipe_cost.py [--docs samples/documents] [--max-chunks 24]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import yaml

from sdg_pipeline.chunk import chunk_markdown
from sdg_pipeline.convert import convert_document
from sdg_pipeline.generate.recipe_llm import generate_recipe_llm
from sdg_pipeline.judge.llm import judge_pairs_llm
from sdg_pipeline.llm.prompts import as_data
from sdg_pipeline.recipes import load_recipe
from sdg_pipeline.screen.triage import triage_reason
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer,
    default_summary,
    fast_settings,
    prompt_kind,
)

REPO = Path(__file__).resolve().parents[1]
RECIPES = ("grounded-qa", "knowledge-infusion", "conversation", "socratic-tutor", "rag-eval")
SDG_HUB_FLOW = "src/sdg_hub/flows/generation/knowledge/synth_knowledge1.5.yaml"
EVAL_COMPLETION_TOKENS = 40
_WORDS = re.compile(r"\w+")
_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def approx_tokens(text: str) -> int:
    """The loopback server's estimate, so both sides are counted alike."""
    return max(1, round(len(_WORDS.findall(text)) * 1.3))


def load_chunks(docs: Path, max_chunks: int) -> pd.DataFrame:
    rows = []
    for path in sorted(docs.iterdir()):
        if path.suffix.lower() not in (".md", ".pdf", ".docx", ".html"):
            continue
        result = convert_document(path.read_bytes(), path.name)
        markdown = result.markdown
        if not markdown:
            continue
        for piece in chunk_markdown(markdown, list(result.page_starts or [0])):
            if triage_reason(piece.text, piece.heading_path) is not None:
                continue
            rows.append(
                {
                    "chunk_id": f"{path.name}#{piece.chunk_index}",
                    "document_key": path.name,
                    "content_hash": "bench",
                    "chunk_index": piece.chunk_index,
                    "heading_path": list(piece.heading_path),
                    "text": piece.text,
                    "has_table": piece.has_table,
                }
            )
    return pd.DataFrame(rows[:max_chunks])


def run_recipe(name: str, chunks: pd.DataFrame) -> dict[str, Any]:
    recipe = load_recipe(name).recipe
    with FakeOpenAIServer() as server, tempfile.TemporaryDirectory() as cache:
        settings = fast_settings(
            server.base_url, model="fake-model", recipe=recipe.tag, max_concurrency=8
        )
        started = time.perf_counter()
        pairs, gen = generate_recipe_llm(
            chunks,
            recipe=recipe,
            settings=settings,
            cache_root=cache,
            document_key="bench",
        )
        judged, judge = judge_pairs_llm(
            pairs, chunks, settings=settings, cache_root=cache, document_key="bench"
        )
        wall = time.perf_counter() - started
        kinds = dict(server.kind_counts)
        # The summaries the server wrote (its replies are a pure function of the request), per
        # chunk and kind: what sdg_hub's summary blocks are assumed to write too.
        summaries: dict[tuple[str, str], str] = {}
        for body in server.requests:
            if prompt_kind(body) == "summary":
                user = body["messages"][1]["content"]
                kind = re.search(r"Summary kind: (\w+)", user).group(1)
                passage = re.search(r"<passage>\n(.*?)\n</passage>", user, re.S).group(1)
                summaries[(passage, kind)] = default_summary(body)["summary"]
    accepted = int(judged["passed"].sum())
    requests = gen["llm_requests"] + judge["llm_requests"]
    tokens_in = gen["tokens_in"] + judge["tokens_in"]
    tokens_out = gen["tokens_out"] + judge["tokens_out"]
    return {
        "recipe": name,
        "chunks": len(chunks),
        "pairs": int(pairs["error"].isna().sum()),
        "accepted": accepted,
        "requests": requests,
        "requests_by_kind": kinds,
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "requests_per_accepted": round(requests / accepted, 3) if accepted else None,
        "tokens_per_accepted": round((tokens_in + tokens_out) / accepted, 1) if accepted else None,
        "wall_s": round(wall, 2),
        "_pairs": pairs,
        "_summaries": summaries,
    }


# --- sdg_hub's flow, counted -------------------------------------------------------------------


def _git_show(git_dir: Path, path: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _prompt(config: dict[str, Any], values: dict[str, str]) -> str:
    # sdg_hub's LLMBlock: "{system}\n{introduction}\n{principles}\n{examples}\n{generation}"
    parts = [config.get(k) or "" for k in ("system", "introduction", "principles", "examples")]
    parts.append(config.get("generation") or "")
    return _VAR.sub(lambda m: values.get(m.group(1), ""), "\n".join(parts))


def count_sdg_hub(git_dir: Path, chunks: pd.DataFrame, ours: dict[str, Any]) -> dict[str, Any]:
    """What synth_knowledge1.5 would send for these chunks, block by block."""
    flow = yaml.safe_load(_git_show(git_dir, SDG_HUB_FLOW))
    configs: dict[str, dict[str, Any]] = {}
    for block in flow:
        conf = block.get("block_config", {})
        for path in [conf.get("config_path"), *(conf.get("config_paths") or {}).values()]:
            if path and path not in configs:
                configs[path] = yaml.safe_load(_git_show(git_dir, f"src/sdg_hub/{path}"))
    pairs = ours["_pairs"]
    by_chunk = {cid: group for cid, group in pairs.groupby("chunk_id")}
    requests: Counter[str] = Counter()
    tokens_in = tokens_out = 0
    texts = list(chunks["text"])
    for i, row in enumerate(chunks.itertuples()):
        mine = by_chunk.get(row.chunk_id)
        mine = mine if mine is not None else pairs.iloc[0:0]
        icl = mine.head(3)
        values = {
            "document": row.text,
            "domain": "general",
            "document_outline": " > ".join(row.heading_path),
            "icl_document": texts[i - 1] if i else texts[-1],
        }
        for j, (q, a) in enumerate(zip(icl["question"], icl["answer"], strict=True), start=1):
            values[f"icl_query_{j}"], values[f"icl_response_{j}"] = q, a
        rows = [dict(values)]  # one row per chunk until the summaries flatten it
        summaries_by_kind = {
            "summary_detailed": "detailed",
            "summary_atomic_facts": "atomic_facts",
            "summary_extractive": "extractive",
        }
        for block in flow:
            kind = block["block_type"]
            conf = block.get("block_config", {})
            name = conf.get("block_name", kind)
            if kind == "LLMBlock" and name == "router":
                requests[name] += len(rows)
                tokens_in += sum(
                    approx_tokens(_prompt(configs[conf["config_path"]], r)) for r in rows
                )
                tokens_out += len(rows)  # max_tokens 1
            elif kind == "LLMBlock" and name.startswith("gen_"):
                column = conf["output_cols"][0]
                requests[name] += len(rows)
                tokens_in += sum(
                    approx_tokens(_prompt(configs[conf["config_path"]], r)) for r in rows
                )
                # the summary our run got for this chunk and view stands in for its output
                kind = summaries_by_kind[column]
                summary = ours["_summaries"].get((as_data(row.text), kind), row.text)
                tokens_out += approx_tokens(summary)
                for r in rows:
                    r[column] = summary
            elif kind == "FlattenColumnsBlock":
                rows = [
                    r | {"summary": r.get(col, r["document"]), "dataset_type": col}
                    for r in rows
                    for col in conf["var_cols"]
                ]
            elif kind == "RenameColumns":
                rows = [r | {"raw_document": r["document"], "document": r["summary"]} for r in rows]
            elif kind == "ConditionalLLMBlock":
                config = configs[next(iter(conf["config_paths"].values()))]
                requests["knowledge generation"] += len(rows)
                tokens_in += sum(approx_tokens(_prompt(config, r)) for r in rows)
                # as many pairs per view as our run kept from the same view
                generated = []
                for r in rows:
                    view = {
                        "summary_detailed": "summary_qa:detailed",
                        "summary_extractive": "summary_qa:extractive",
                        "summary_atomic_facts": "summary_qa:atomic_facts",
                        "base_document": "summary_qa:raw",
                    }[r["dataset_type"]]
                    taken = mine[mine["step"] == view]
                    for q, a in zip(taken["question"], taken["answer"], strict=True):
                        generated.append(r | {"question": q, "response": a})
                        tokens_out += approx_tokens(f"[QUESTION]\n{q}\n[ANSWER]\n{a}\n[END]")
                rows = generated
            elif kind == "LLMBlock" and name.startswith("eval_"):
                requests[name] += len(rows)
                tokens_in += sum(
                    approx_tokens(_prompt(configs[conf["config_path"]], r)) for r in rows
                )
                tokens_out += EVAL_COMPLETION_TOKENS * len(rows)
            # Filter blocks: every row passes (a lower bound on the flow's cost)
        requests["_accepted"] += len(rows)
    accepted = requests.pop("_accepted")
    total = sum(requests.values())
    return {
        "recipe": "sdg_hub synth_knowledge1.5 (counted)",
        "chunks": len(chunks),
        "accepted": accepted,
        "requests": total,
        "requests_by_kind": dict(requests),
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "requests_per_accepted": round(total / accepted, 3) if accepted else None,
        "tokens_per_accepted": round((tokens_in + tokens_out) / accepted, 1) if accepted else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=REPO / "samples" / "documents")
    parser.add_argument("--max-chunks", type=int, default=24)
    parser.add_argument(
        "--sdg-hub",
        type=Path,
        default=Path("/work/.mirror/Red-Hat-AI-Innovation-Team+sdg_hub/repo"),
        help="git directory of an sdg_hub checkout (skipped when absent)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chunks = load_chunks(args.docs, args.max_chunks)
    results = [run_recipe(name, chunks) for name in RECIPES]
    if args.sdg_hub.exists():
        ki = next(r for r in results if r["recipe"] == "knowledge-infusion")
        results.append(count_sdg_hub(args.sdg_hub, chunks, ki))
    shown = [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]
    if args.json:
        print(json.dumps(shown, indent=2))
        return
    print(f"{len(chunks)} chunks from {args.docs}")
    print(f"{'recipe':<40} {'accepted':>8} {'requests':>8} {'req/pair':>8} {'tok/pair':>9}")
    for r in shown:
        print(
            f"{r['recipe']:<40} {r['accepted']:>8} {r['requests']:>8} "
            f"{r['requests_per_accepted']!s:>8} {r['tokens_per_accepted']!s:>9}"
        )
    for r in shown:
        print(f"  {r['recipe']}: {json.dumps(r['requests_by_kind'], sort_keys=True)}")


if __name__ == "__main__":
    main()
