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
Mathematics", Project Gutenberg #41568, fetched into /work/.mirror): its main matter only, under
the book's title as level-1 heading, cut deterministically; when that text is absent, sections of
`../shared/corpus/reference_md` and `samples/documents`. The server answers sdg_hub's prompts (a
handler below: questions from the document's sentences, the best-matching sentence as the answer,
YES to every faithfulness question) and our generation prompt as a model that keeps its explicit
rules (`--default-server`: the tests' default stand-in); docs/throughput.md says what each does.
`--profile DIR` samples our runs with py-spy for the CPU outside conversion and the LLM client.
"""

from __future__ import annotations

import argparse
import contextlib
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


_DROPPED_COMMANDS = re.compile(
    r"\\(?:index|PageSep|label|BookMark|FigNum|Figure|Fig|Eq)\*?(\[[^\]]*\])?\{(?:[^{}]|\{[^{}]*\})*\}"
)


def _formula(match: re.Match[str]) -> str:
    """Inline mathematics as a PDF's text layer would give it: `$\\frac{dy}{dx}$` -> `dy/dx`."""
    tex = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", match.group(1))
    tex = re.sub(r"\\[A-Za-z]+", " ", tex)
    return " ".join(re.sub(r"[{}^_\\]", " ", tex).split())


def _tex_paragraphs() -> list[str]:
    text = subprocess.run(
        ["git", "--git-dir", str(MIRROR_TEX), "show", "HEAD:41568-t/41568-t.tex"],
        capture_output=True,
        check=True,
    ).stdout.decode("latin-1")
    # The book's main matter only: not the macros, the Project Gutenberg header and licence,
    # the front matter, the index or the TeX log appended to the file.
    text = text.replace("\r\n", "\n")
    body = text.split("\n\\MainMatter\n", 1)[-1].split("\n\\BackMatter", 1)[0]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        block = re.sub(r"(?<!\\)%.*", "", block)
        if block.lstrip().startswith("\\Chapter"):
            continue  # a chapter heading, not prose
        block = re.sub(r"\$([^$]*)\$", _formula, block)
        block = _DROPPED_COMMANDS.sub("", block)  # index entries, page marks: not text
        block = re.sub(r"\\(?:Chg|Typo)\{[^{}]*\}\{([^{}]*)\}", r"\1", block)  # corrected
        block = re.sub(r"\\[A-Za-z]+\*?(\[[^\]]*\])?\{([^{}]*)\}", r"\2", block)
        block = re.sub(r"\\[A-Za-z]+\*?", " ", block).replace("---", "\u2014")
        block = re.sub(r"\\.", "", block)  # \, \; and the like: spacing
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
        title = "An Introduction to Mathematics"
    except (OSError, subprocess.CalledProcessError):
        paragraphs, source = _fallback_paragraphs(), "shared corpus reference Markdown"
        title = "Reference documents"
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
        # A real document carries its title; the section heading keeps the documents apart.
        section = f"## Section {index + 1}" + (f" (reading {cycle + 1})" if cycle else "")
        parts = [f"# {title}", section]
        for number, paragraph in enumerate(sections, 1):
            parts += [f"### Part {number}", paragraph]
        path = folder / f"section_{index + 1:04d}.md"
        path.write_text("\n\n".join(parts) + "\n")
        files.append(path)
    print(f"documents: {count} from {source}", flush=True)
    return files


# --- the server (own process), answering both pipelines' prompts ------------------------------

SERVER_CODE = r"""
import re, sys, time, json
from sdg_pipeline_tests.fake_openai_server import (
    FakeOpenAIServer, Reply, default_generation, packed_passages, prompt_kind)
WORD = re.compile(r"[a-z0-9]+")
def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
def words(text):
    return set(WORD.findall(text.casefold()))
def user(body):
    return next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
# Our generation prompt, answered as a model that follows its explicit rules: every question
# names the "Document subject" given above the passage, every answer is a complete sentence of
# the passage (the same span as evidence), in the number and question types asked. What the
# question asks about is the sentence's own subject (the noun phrase it opens with, found as the
# offline generator finds it), not its first six words cut anywhere. Sentences with no such
# subject, or no subject given, get the tests' default stand-in.
from sdg_pipeline.generate.offline_phrasing import sentence_subject
SUBJECT = re.compile(r"^Document subject: (.*)$", re.M)
PASSAGE = re.compile(r"<passage>\n(.*?)\n</passage>", re.S)
COUNT = re.compile(r"Write exactly (\d+) question-answer pairs")
TYPES = re.compile(r"question types in order: ([a-z, ]+)\.")
COMPLETE = re.compile(r"^[\"'(]?[A-Z0-9].*[.!][\"')]?$")
OURS = ("What does {subject} say about {topic}?",
        "What does {subject} state about {topic}?")
def ours(body):
    # a request carrying several chunks: each passage answered on its own, its pairs named
    packed = packed_passages(body)
    if packed:
        head = user(body).split("\n\nPassage 1\n", 1)[0]
        pairs = []
        for number, part in packed:
            alone = head + "\n\n" + re.sub(r'<passage id="\d+">', "<passage>", part)
            # a passage the rules find nothing in gets the default stand-in, as it would alone
            one = ours_for(alone) or default_generation(
                {"messages": [{"role": "user", "content": alone}]})
            pairs += [dict(p, passage=number) for p in one["pairs"]]
        return {"pairs": pairs}
    return ours_for(user(body))
def ours_for(text):
    subject = SUBJECT.search(text)
    passage = PASSAGE.search(text)
    if not subject or subject.group(1) == "(not known)" or not passage:
        return None
    candidates = []
    for s in sentences(passage.group(1)):
        topic = sentence_subject(s) if COMPLETE.match(s) and "?" not in s else None
        if topic:
            first, _, rest = topic.partition(" ")
            lowered = first.lower() if first in ("The", "A", "An") else first
            candidates.append((s, f"{lowered} {rest}".strip()))
    if not candidates:
        return None
    n = int(COUNT.search(text).group(1)) if COUNT.search(text) else 3
    asked = TYPES.search(text)
    types = [t.strip() for t in asked.group(1).split(",")] if asked else []
    pairs = []
    for i in range(n):
        s, topic = candidates[i % len(candidates)]
        template = OURS[(i // len(candidates)) % len(OURS)]
        pairs.append({"question": template.format(subject=subject.group(1), topic=topic),
                      "answer": s, "question_type": types[i] if i < len(types) else "factual",
                      "evidence": " ".join(s.split()[:12])})
    return {"pairs": pairs}
def handler(body):
    kind = prompt_kind(body)
    if kind == "generate" and FOLLOW_OUR_PROMPT:
        return ours(body)
    if kind != "other":
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
FOLLOW_OUR_PROMPT = sys.argv[3] == "follow"
server = FakeOpenAIServer(latency_s=float(sys.argv[1]), models=("fake-model",), handler=handler,
                          port=int(sys.argv[2]), seconds_per_output_token=float(sys.argv[4]))
with server:
    print(server.base_url, flush=True)
    while True:
        time.sleep(3600)
"""


def in_flight_by_second(intervals: list[tuple[float, float]]) -> list[float]:
    """Mean requests in flight in each second from the first request to the last reply: where
    the endpoint waited on the client."""
    if not intervals:
        return []
    start = min(a for a, _ in intervals)
    end = max(b for _, b in intervals)
    seconds = [0.0] * (int(end - start) + 1)
    for arrived, replied in intervals:
        a, b = arrived - start, replied - start
        while a < b:
            edge = min(b, int(a) + 1)
            seconds[int(a)] += edge - a
            a = edge
    return [round(x, 1) for x in seconds]


class Server:
    def __init__(
        self, latency: float, follow_our_prompt: bool = True, token_latency: float = 0.0
    ) -> None:
        from sdg_pipeline_tests.fake_openai_server import unused_loopback_url

        url = unused_loopback_url()
        port = url.split(":")[2].split("/")[0]
        env = os.environ | {"PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER_CODE,
                str(latency),
                port,
                "follow" if follow_our_prompt else "default",
                str(token_latency),
            ],
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

    def intervals(self) -> list[tuple[float, float]]:
        with urllib.request.urlopen(self.stats_url, timeout=10) as response:
            return [tuple(pair) for pair in json.load(response)["intervals"]]

    def cpu_seconds(self) -> float:
        """The server process's CPU so far: a stand-in that is itself the bottleneck would make
        both pipelines look slower than the endpoint they are measured against."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- runs ------------------------------------------------------------------------------------


# Where a sampled stack spends its CPU. A sample inside the OpenAI SDK or its HTTP stack is
# the LLM client's; one inside sdg_pipeline/convert/ is conversion (the parent's side of it: the
# conversion itself runs in the worker process, whose CPU is not this process's anyway).
LLM_CLIENT_FILES = ("openai/", "httpx/", "httpcore/", "h11/", "anyio/", "sniffio/", "ssl.py")
CONVERSION_FILES = ("sdg_pipeline/convert/", "docling/", "docling_core/", "docling_parse/")
# Inclusive shares printed for the profile (a sample counts for every one its stack holds).
PROFILE_MARKERS = {
    "dagster": ("dagster/", "dagster_shared/"),
    "dagster event log (sqlite/sqlalchemy)": ("sqlalchemy/", "sqlite_event_log.py", "sqlite3/"),
    "great_expectations": ("great_expectations/",),
    "parquet io": ("pyarrow/", "io_manager.py"),
    "pandas": ("pandas/",),
    "detect_secrets": ("detect_secrets/",),
    "sdg_pipeline (own code)": ("sdg_pipeline/",),
}


def _frames(stack: str) -> list[str]:
    # "func (path/file.py:12)": the path between the last "(" and the ":line)"
    return [frame.rsplit("(", 1)[-1].rsplit(":", 1)[0] for frame in stack.split(";")]


def profile_shares(raw: Path) -> dict[str, Any]:
    """py-spy's raw samples of the CLI process: the LLM client's and conversion's shares, and
    inclusive shares of the main libraries."""
    total = llm = conversion = 0
    inclusive = dict.fromkeys(PROFILE_MARKERS, 0)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        if stack.startswith(("<module> (<string>:1)", "<module> (<string>:2)")):
            continue  # the imports before main(), whose CPU is not in cpu_s either
        n = int(count)
        files = _frames(stack)
        total += n
        if any(f.startswith(LLM_CLIENT_FILES) or f.endswith(LLM_CLIENT_FILES) for f in files):
            llm += n
        elif any(marker in f for f in files for marker in CONVERSION_FILES):
            conversion += n
        for name, markers in PROFILE_MARKERS.items():
            if any(marker in f for f in files for marker in markers):
                inclusive[name] += n
    share = (lambda n: round(n / total, 4)) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "llm_client_share": share(llm),
        "conversion_share": share(conversion),
        "inclusive_shares": {name: share(n) for name, n in inclusive.items()},
    }


def _all_cpu(figures: dict[str, Any]) -> float:
    """main()'s CPU and its children's: the forked run workers and the conversion workers (a
    child's CPU counts once it has exited, as every one has when the CLI returns)."""
    return figures["cpu_s"] + figures.get("children_cpu_s", 0.0)


def run_ours(
    docs: Path,
    out: Path,
    home: Path,
    env: dict[str, str],
    jobs: int,
    profile: Path | None = None,
    parallel: int | None = None,
) -> dict[str, Any]:
    """One `sdg-pipeline run` in a child process: wall, its CPU, its peak RSS, its summary.

    With `profile`, py-spy samples the process (non-blocking, so the run is not slowed by it)
    and the CPU outside conversion and the LLM client is main()'s CPU less their sampled shares.
    """
    code = (
        "import resource, sys, json, time\n"
        "from sdg_pipeline.cli import main\n"
        "def cpu():\n"
        "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    return usage.ru_utime + usage.ru_stime\n"
        "started, cpu_started = time.perf_counter(), cpu()\n"
        "status = main(sys.argv[1:])\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'status': status, 'wall_s': time.perf_counter() - started,"
        " 'cpu_s': cpu() - cpu_started, 'process_cpu_s': cpu(),"
        " 'children_cpu_s': kids.ru_utime + kids.ru_stime,"
        " 'peak_rss_mib': usage.ru_maxrss / 1024}), file=sys.stderr)\n"
    )
    argv = ["run", "--docs", str(docs), "--out", str(out), "--allow-failures", "--jobs", str(jobs)]
    if parallel is not None:
        argv += ["--parallel", str(parallel)]
    command = [sys.executable, "-c", code, *argv]
    if profile is not None:
        spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
        # --subprocesses: the run workers (forked, `--parallel`) and the conversion worker do
        # most of the work; their samples count as the CLI's own do
        command = [spy, "record", "--nonblocking", "--subprocesses", "--format", "raw",
                   "--rate", "50", "--output", str(profile), "--", *command]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env=env | {"DAGSTER_HOME": str(home), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    lines = [line for line in done.stderr.splitlines() if line.startswith('{"status"')]
    if not lines:
        raise SystemExit(f"run failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    figures = json.loads(lines[-1])
    accepted = re.search(r"accepted: (\d+)", done.stdout)
    figures |= {
        "process_wall_s": round(wall, 2),
        "accepted_pairs": int(accepted.group(1)) if accepted else 0,
        "stdout_lines": len(done.stdout.splitlines()),
    }
    if profile is not None and profile.exists():
        shares = profile_shares(profile)
        outside = 1.0 - shares["llm_client_share"] - shares["conversion_share"]
        figures |= {
            "profile": shares,
            "cpu_outside_llm_and_conversion_s": _all_cpu(figures) * outside,
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


def step_seconds(home: Path) -> dict[str, float]:
    """Wall seconds of each step summed over the runs of the instance (the CLI's batches)."""
    code = (
        "import json, sys\n"
        "import dagster as dg\n"
        "instance = dg.DagsterInstance.from_config(sys.argv[1])\n"
        "totals = {}\n"
        "for run in instance.get_runs():\n"
        "    for stat in instance.get_run_step_stats(run.run_id):\n"
        "        if stat.start_time and stat.end_time:\n"
        "            key = stat.step_key\n"
        "            totals[key] = totals.get(key, 0.0) + stat.end_time - stat.start_time\n"
        "print(json.dumps({k: round(v, 2) for k, v in totals.items()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(home)],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if done.returncode == 0 and lines else {}


def rejection_reasons(out: Path, top: int = 12) -> dict[str, Any]:
    """Why the judged pairs of the run were rejected: each reason's check name (the text before
    its first ':'), counted once per pair, and one example question per reason."""
    import pyarrow.parquet as pq

    tally: dict[str, int] = {}
    example: dict[str, dict[str, str]] = {}
    pairs = rejected = 0
    for path in sorted((out / "judged_pairs").glob("*.parquet")):
        columns = ["question", "answer", "reasons", "passed"]
        table = pq.read_table(path, columns=columns).to_pylist()
        for row in table:
            pairs += 1
            if row["passed"]:
                continue
            rejected += 1
            names = {
                part.split(":", 1)[0].strip()
                for reason in str(row["reasons"] or "below thresholds").split(" | ")
                for part in reason.split("; ")
                if part.strip()
            }
            # The LLM judge's own sentence comes with every verdict, passed or not: it is the
            # reason only when no check named one.
            names = (names - {"judge"}) or {"judge verdict below the thresholds"}
            for name in names:
                tally[name] = tally.get(name, 0) + 1
                example.setdefault(
                    name,
                    {"question": row["question"], "answer": row["answer"], "why": row["reasons"]},
                )
    ranked = sorted(tally.items(), key=lambda item: -item[1])[:top]
    return {
        "judged": pairs,
        "rejected": rejected,
        "reasons": {name: {"pairs": n, "example": example[name]} for name, n in ranked},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument(
        "--generation-chunks",
        type=int,
        default=None,
        help="SDG_LLM_GENERATION_CHUNKS_PER_REQUEST (default 4; 1: one chunk a request)",
    )
    parser.add_argument(
        "--token-latency",
        type=float,
        default=0.0,
        help="seconds per output token on top of --latency (a server that writes its reply "
        "token by token: longer replies cost their length; 0: the fixed latency only)",
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=100, help="documents per Dagster run")
    parser.add_argument(
        "--parallel",
        type=int,
        default=None,
        help="runs at once, one process each (the CLI's --parallel; default one per core)",
    )
    parser.add_argument("--offline", action="store_true", help="no endpoint: shell CPU only")
    parser.add_argument("--sdg-hub", type=Path, default=None, help="venv with sdg-hub installed")
    parser.add_argument("--no-rerun", action="store_true")
    parser.add_argument(
        "--pairs-per-chunk", type=int, default=None, help="SDG_LLM_PAIRS_PER_CHUNK (default 3)"
    )
    parser.add_argument(
        "--default-server",
        action="store_true",
        help="answer our generation prompt with the tests' default stand-in, not the one that "
        "follows its rules (the figures before 2026-12-02 late)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="a folder: sample our runs with py-spy into it (raw stacks), for the CPU outside "
        "conversion and the LLM client",
    )
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
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the data root and DAGSTER_HOME (its path is printed)",
    )
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    with (
        contextlib.nullcontext(tempfile.mkdtemp(prefix="sdg-corpus-", dir=args.tmp))
        if args.keep
        else tempfile.TemporaryDirectory(prefix="sdg-corpus-", dir=args.tmp)
    ) as tmp:
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
            server = Server(
                args.latency,
                follow_our_prompt=not args.default_server,
                token_latency=args.token_latency,
            )
            env |= {
                "SDG_LLM_BASE_URL": server.base_url,
                "SDG_LLM_API_KEY": "test",
                "SDG_LLM_MAX_CONCURRENCY": str(args.concurrency),
            }
            if args.pairs_per_chunk:
                env["SDG_LLM_PAIRS_PER_CHUNK"] = str(args.pairs_per_chunk)
            if args.generation_chunks:
                env["SDG_LLM_GENERATION_CHUNKS_PER_REQUEST"] = str(args.generation_chunks)
        try:
            report: dict[str, Any] = {
                "documents": args.docs,
                "latency_s": args.latency,
                "token_latency_s": args.token_latency,
                "concurrency": args.concurrency,
                "tmp": str(root),
            }
            for label in ("first", "rerun")[: 1 if args.no_rerun else 2]:
                before = server.chat_requests() if server else 0
                server_cpu = server.cpu_seconds() if server else 0.0
                profile = args.profile / f"py-spy-{label}.txt" if args.profile else None
                figures = run_ours(docs, root / "out", home, env, args.jobs, profile, args.parallel)
                requests = (server.chat_requests() - before) if server else 0
                pairs = figures["accepted_pairs"]
                if server:
                    figures["server_cpu_s"] = round(server.cpu_seconds() - server_cpu, 2)
                    figures["in_flight_by_second"] = in_flight_by_second(
                        server.intervals()[before:]
                    )
                figures |= {
                    "requests": requests,
                    "requests_per_pair": round(requests / pairs, 3) if pairs else None,
                    "wall_per_pair_s": round(figures["wall_s"] / pairs, 4) if pairs else None,
                    "cpu_per_doc_s": round(_all_cpu(figures) / args.docs, 4),
                }
                if "cpu_outside_llm_and_conversion_s" in figures:
                    figures["cpu_outside_llm_and_conversion_per_doc_s"] = round(
                        figures["cpu_outside_llm_and_conversion_s"] / args.docs, 4
                    )
                report[f"ours_{label}"] = figures
                print(label, json.dumps(figures), flush=True)
                if label == "first":
                    figures["step_seconds"] = step_seconds(home)
                    # every request at the concurrency limit, each taking the latency, nothing else
                    figures["request_floor_s"] = round(
                        requests / args.concurrency * args.latency, 2
                    )
                    print("steps", json.dumps(figures["step_seconds"]), flush=True)
                    report["rejections"] = rejection_reasons(root / "out")
                    print("rejections", json.dumps(report["rejections"], indent=1), flush=True)
            if args.sdg_hub and server:
                before = server.chat_requests()
                server_cpu = server.cpu_seconds()
                hub = run_sdg_hub(args.sdg_hub, server.base_url, args.concurrency, docs)
                requests = server.chat_requests() - before
                hub |= {
                    "server_cpu_s": round(server.cpu_seconds() - server_cpu, 2),
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
