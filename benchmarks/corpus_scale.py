"""Corpus-scale throughput: `sdg-pipeline run` over N small real documents against the loopback
OpenAI-compatible server, side by side with sdg_hub's direct-QA flow on the same documents.

Reports, for the first run and an unchanged re-run: wall time, requests, accepted pairs, wall
per accepted pair, requests per pair, CPU of this process per document, peak RSS; with
`--sdg-hub VENV` the same figures for sdg_hub's `doc_direct_qa` flow (run in its own venv).
`--offline` runs without an endpoint (offline generator and judge) to measure the shell's CPU.

    python benchmarks/corpus_scale.py --docs 100 --latency 0.2 --concurrency 16 \
        --sdg-hub /work/venv-sdghub
    python benchmarks/corpus_scale.py --docs 1000 --offline

Documents: ~490-word sections of a public-domain text (Whitehead, "An Introduction to
Mathematics", Project Gutenberg #41568, fetched into /work/.mirror), cut deterministically; when
that text is absent, sections of `../shared/corpus/reference_md` and `samples/documents`.
The server answers sdg_hub's prompts too (a handler below): questions from the document's
sentences, the best-matching sentence as the answer, YES when the answer's words occur in it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# a git directory without a work tree: read with `git show`
MIRROR_TEX = Path("/work/.mirror/GITenberg+An-Introduction-to-Mathematics_41568/repo")
SHARED = REPO.parent / "shared" / "corpus" / "reference_md"
WORDS_PER_DOC = 490
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")

# --- documents -------------------------------------------------------------------------------


def _tex_paragraphs() -> list[str]:
    text = subprocess.run(
        ["git", "--git-dir", str(MIRROR_TEX), "show", "HEAD:41568-t/41568-t.tex"],
        capture_output=True,
        check=True,
    ).stdout.decode("latin-1")
    body = text.split(r"\mainmatter", 1)[-1]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        block = re.sub(r"%.*", "", block)
        block = re.sub(r"\$[^$]*\$", "", block)  # formulas: no use as prose
        block = re.sub(r"\\[A-Za-z]+\*?(\[[^\]]*\])?\{([^{}]*)\}", r"\2", block)
        block = re.sub(r"\\[A-Za-z]+\*?", " ", block)
        block = re.sub(r"[{}~\\]", " ", block).replace("``", '"').replace("''", '"')
        block = " ".join(block.split())
        words = block.split()
        if len(words) >= 40 and len(_WORD.findall(block)) / len(words) > 0.85:
            paragraphs.append(block)
    return paragraphs


def _fallback_paragraphs() -> list[str]:
    texts = [p.read_text() for p in sorted(SHARED.glob("*.md"))]
    texts.append((REPO / "samples" / "documents" / "onboarding_faq.md").read_text())
    return [
        " ".join(b.split())
        for t in texts
        for b in re.split(r"\n\s*\n", t)
        if len(b.split()) >= 20 and not b.lstrip().startswith(("|", "#", "<"))
    ]


def build_documents(folder: Path, count: int) -> list[Path]:
    """`count` Markdown documents of ~490 words, the same ones on every call."""
    try:
        paragraphs = _tex_paragraphs()
        source = "Whitehead, An Introduction to Mathematics (Project Gutenberg #41568)"
    except (OSError, subprocess.CalledProcessError):
        paragraphs, source = _fallback_paragraphs(), "shared corpus reference Markdown"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    cursor = 0
    for index in range(count):
        sections, words = [], 0
        while words < WORDS_PER_DOC:
            paragraph = paragraphs[cursor % len(paragraphs)]
            cursor += 1
            room = WORDS_PER_DOC - words
            if len(paragraph.split()) > room + 40:  # cut a long one at a sentence end
                head = " ".join(paragraph.split()[: room + 40])
                paragraph = head[: head.rfind(".") + 1] if "." in head else head
            sections.append(paragraph)
            words += max(1, len(paragraph.split()))
        # A new cycle through the text is marked, so its documents differ in bytes at least.
        cycle = cursor // len(paragraphs)
        title = f"# Section {index + 1}" + (f" (reading {cycle + 1})" if cycle else "")
        parts = [title]
        for number, paragraph in enumerate(sections, 1):
            parts += [f"## Part {number}", paragraph]
        path = folder / f"section_{index + 1:04d}.md"
        path.write_text("\n\n".join(parts) + "\n")
        files.append(path)
    print(f"documents: {count} from {source}", flush=True)
    return files


# --- the server (own process), answering both pipelines' prompts ------------------------------

SERVER_CODE = r"""
import re, sys, time, json
from sdg_pipeline_tests.fake_openai_server import FakeOpenAIServer, Reply, prompt_kind
WORD = re.compile(r"[a-z0-9]+")
def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
def words(text):
    return set(WORD.findall(text.casefold()))
def user(body):
    return next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
def handler(body):
    if prompt_kind(body) != "other":
        return None
    text = user(body)
    if "Develop a series of educational questions" in text:
        doc = text.split("Now, here is the document:", 1)[-1]
        picks = sentences(doc)[:7]
        lines = []
        for s in picks:
            lead = " ".join(s.split()[:6]).strip(' ,;:."')
            lines.append(f"[QUESTION]\nWhat does the text say about {lead}?\n[END]")
        return Reply.text("\n\n".join(lines))
    if text.startswith("Answer the question based on the provided document"):
        doc, _, question = text.partition("Question:")
        q = words(question)
        best = max(sentences(doc) or [doc.strip()], key=lambda s: len(q & words(s)))
        return Reply.text(best)
    if "Determine if the provided information is corroborated" in text:
        return Reply.text("[Start of Explanation]\nThe context states it.\n[End of Explanation]\n"
                          "[Start of Answer]\nYES\n[End of Answer]")
    return None
server = FakeOpenAIServer(latency_s=float(sys.argv[1]), models=("fake-model",), handler=handler,
                          port=int(sys.argv[2]))
with server:
    print(server.base_url, flush=True)
    while True:
        time.sleep(3600)
"""


class Server:
    def __init__(self, latency: float) -> None:
        from sdg_pipeline_tests.fake_openai_server import unused_loopback_url

        url = unused_loopback_url()
        port = url.split(":")[2].split("/")[0]
        env = os.environ | {"PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER_CODE, str(latency), port],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base_url = self.process.stdout.readline().strip()
        self.stats_url = self.base_url.removesuffix("/v1") + "/_stats"

    def chat_requests(self) -> int:
        with urllib.request.urlopen(self.stats_url, timeout=10) as response:
            counters = json.load(response)
        return int(counters["request_count"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- runs ------------------------------------------------------------------------------------


def run_ours(docs: Path, out: Path, home: Path, env: dict[str, str], jobs: int) -> dict[str, Any]:
    """One `sdg-pipeline run` in a child process: wall, its CPU, its peak RSS, its summary."""
    code = (
        "import resource, sys, json, time\n"
        "from sdg_pipeline.cli import main\n"
        "started = time.perf_counter()\n"
        "status = main(sys.argv[1:])\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(json.dumps({'status': status, 'wall_s': time.perf_counter() - started,"
        " 'cpu_s': usage.ru_utime + usage.ru_stime, 'peak_rss_mib': usage.ru_maxrss / 1024}),"
        " file=sys.stderr)\n"
    )
    argv = ["run", "--docs", str(docs), "--out", str(out), "--allow-failures", "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=env | {"DAGSTER_HOME": str(home), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    accepted = re.search(r"accepted: (\d+)", done.stdout)
    figures |= {
        "process_wall_s": round(wall, 2),
        "accepted_pairs": int(accepted.group(1)) if accepted else 0,
        "stdout_lines": len(done.stdout.splitlines()),
    }
    if figures["status"] not in (0, 1):
        print(done.stdout, done.stderr, file=sys.stderr)
    return figures


SDG_HUB_CODE = r"""
import json, sys, time, resource, glob, os
import pandas as pd
from sdg_hub.core.flow import Flow
import sdg_hub, pathlib
flows = pathlib.Path(sdg_hub.__file__).parent / "flows/knowledge_infusion"
flow_dir = flows / "enhanced_multi_summary_qa/doc_direct_qa"
base_url, concurrency, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = [open(p).read() for p in sorted(glob.glob(folder + "/*.md"))]
example = docs[0]
frame = pd.DataFrame({
    "document": docs,
    "document_outline": [d.splitlines()[0].lstrip("# ") for d in docs],
    "domain": "mathematics",
    "icl_document": example[:1500],
    "icl_query_1": "What is the main idea of the passage?",
    "icl_query_2": "Which example does the passage use?",
    "icl_query_3": "Why does the author draw this distinction?",
})
flow = Flow.from_yaml(str(flow_dir / "flow.yaml"))
flow.set_model_config(model="hosted_vllm/fake-model", api_base=base_url, api_key="not-needed")
started = time.perf_counter()
result = flow.generate(frame, max_concurrency=concurrency)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": wall, "pairs": len(result), "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mib": usage.ru_maxrss / 1024}))
"""


def run_sdg_hub(venv: Path, base_url: str, concurrency: int, docs: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", SDG_HUB_CODE, base_url, str(concurrency), str(docs)],
        capture_output=True,
        text=True,
        env=os.environ | {"LITELLM_LOG": "ERROR"},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"sdg_hub run failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=100, help="documents per Dagster run")
    parser.add_argument("--offline", action="store_true", help="no endpoint: shell CPU only")
    parser.add_argument("--sdg-hub", type=Path, default=None, help="venv with sdg-hub installed")
    parser.add_argument("--no-rerun", action="store_true")
    parser.add_argument(
        "--stock-event-log",
        action="store_true",
        help="Dagster's stock SQLite event log instead of the project's dagster.yaml",
    )
    parser.add_argument(
        "--tmp",
        default=None,
        help="parent of the run's data root and DAGSTER_HOME (say /dev/shm: no fsync cost)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sdg-corpus-", dir=args.tmp) as tmp:
        root = Path(tmp)
        docs = root / "docs"
        build_documents(docs, args.docs)
        home = root / "home"
        home.mkdir()
        # the instance a user of the README gets: the project's dagster.yaml (its event log)
        if args.stock_event_log:
            (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        else:
            shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SDG_LLM", "OPENAI"))}
        server = None
        if not args.offline:
            server = Server(args.latency)
            env |= {
                "SDG_LLM_BASE_URL": server.base_url,
                "SDG_LLM_API_KEY": "test",
                "SDG_LLM_MAX_CONCURRENCY": str(args.concurrency),
            }
        try:
            report: dict[str, Any] = {
                "documents": args.docs,
                "latency_s": args.latency,
                "concurrency": args.concurrency,
                "tmp": str(root),
            }
            for label in ("first", "rerun")[: 1 if args.no_rerun else 2]:
                before = server.chat_requests() if server else 0
                figures = run_ours(docs, root / "out", home, env, args.jobs)
                requests = (server.chat_requests() - before) if server else 0
                pairs = figures["accepted_pairs"]
                figures |= {
                    "requests": requests,
                    "requests_per_pair": round(requests / pairs, 3) if pairs else None,
                    "wall_per_pair_s": round(figures["wall_s"] / pairs, 4) if pairs else None,
                    "cpu_per_doc_s": round(figures["cpu_s"] / args.docs, 4),
                }
                report[f"ours_{label}"] = figures
                print(label, json.dumps(figures), flush=True)
            if args.sdg_hub and server:
                before = server.chat_requests()
                hub = run_sdg_hub(args.sdg_hub, server.base_url, args.concurrency, docs)
                requests = server.chat_requests() - before
                hub |= {
                    "requests": requests,
                    "requests_per_pair": round(requests / hub["pairs"], 3)
                    if hub["pairs"]
                    else None,
                    "wall_per_pair_s": round(hub["wall_s"] / hub["pairs"], 4)
                    if hub["pairs"]
                    else None,
                }
                report["sdg_hub"] = hub
                print("sdg_hub", json.dumps(hub), flush=True)
                ours = report["ours_first"]["wall_per_pair_s"]
                if ours and hub["wall_per_pair_s"]:
                    report["ours_over_sdg_hub"] = round(ours / hub["wall_per_pair_s"], 3)
            print(json.dumps(report, indent=2))
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
