"""English phrasing for the offline generator's questions.

Word lists and rules that find the noun phrase a sentence is about (`sentence_subject`), drop
introductory clauses, and case a phrase for use mid-question (`np_for_question`).
"""

from __future__ import annotations

import re

from sdg_pipeline.generate.offline_reading import ChunkContext, words_of


def finish_question(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(" .:;,?")
    return text[:1].upper() + text[1:] + "?"


def np_for_question(phrase: str, context: ChunkContext) -> str:
    """`phrase` as it reads mid-sentence: "The budget" -> "the budget", "Microsoft" kept."""
    first, _, rest = phrase.partition(" ")
    lowered = first.lower()
    capitalised = first[:1].isupper() and first[1:].islower()
    if capitalised and (
        lowered in _DETERMINERS
        or (lowered in context.lower_words and not _capitalised_mid_sentence(first, context.text))
    ):
        return (lowered + " " + rest).strip()
    return phrase


def subject_for_question(subject: str) -> str:
    """The document's subject mid-question: a title keeps its capitals ("Understanding Breast
    Cancer", never "understanding Breast Cancer"); only a leading article is lowered."""
    return re.sub(r"^(The|A|An) ", lambda m: m.group(1).lower() + " ", subject)


def _capitalised_mid_sentence(word: str, text: str) -> bool:
    """A word capitalised after a lowercase word is a name ("by Acme"), not a sentence start."""
    return re.search(rf"\b[a-z][\w,]*\s+{re.escape(word)}\b", text) is not None


_DETERMINERS = {
    "the", "a", "an", "each", "every", "all", "most", "some", "many", "any", "both", "several",
    "few", "no", "our", "your",
}  # fmt: skip
PRONOUNS = {
    "it", "its", "this", "that", "these", "those", "they", "them", "their", "he", "she", "his",
    "her", "we", "you", "i", "there", "here", "such", "which", "what", "who", "one", "another",
    "other", "others", "something", "anything", "everything", "nothing", "someone",
}  # fmt: skip
FUNCTION_WORDS = _DETERMINERS | PRONOUNS | {
    "of", "in", "on", "at", "to", "for", "with", "by", "from", "and", "or", "but", "as", "into",
    "about", "over", "under", "than", "then", "so", "if", "when", "while", "after", "before",
}  # fmt: skip
AUXILIARIES = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "can", "could", "may", "might", "must", "shall", "should", "will", "would",
}  # fmt: skip
COMMON_VERBS = {
    "allow", "allows", "became", "become", "becomes", "began", "begin", "begins", "carry",
    "carries", "consist", "consists", "contain", "contains", "cost", "costs", "exceed",
    "exceeds", "get", "gets", "give", "gives", "got", "hold", "holds", "include", "includes",
    "keep", "keeps", "last", "lasts", "lead", "leads", "make", "makes", "made", "need", "needs",
    "offer", "offers", "provide", "provides", "range", "ranges", "reach", "reaches", "receive",
    "receives", "remain", "remains", "require", "requires", "run", "runs", "see", "sees",
    "show", "shows", "take", "takes", "took", "use", "uses", "won", "grew", "fell", "rose",
    "means", "refers", "stands", "denotes", "represents", "feature", "features", "apply",
    "applies", "exert", "exerts", "press", "presses", "support", "supports", "cover", "covers",
    "list", "lists", "employ", "employs", "comprise", "comprises", "produce", "produces",
    "achieve", "achieves", "yield", "yields", "outperform", "outperforms", "sold", "found",
    "went", "came", "left", "rely", "relies",
    # irregular past forms: "The Company held finite-lived intangible assets" has no "-ed"
    # (not "paid", "built", "lost": "paid leave", "built-in", "lost revenue" are adjectives)
    "held", "spent", "bought", "brought", "sent", "told", "wrote", "drew", "chose", "gave",
    "knew", "thought", "saw", "meant", "stood", "sought", "taught", "caught",
}  # fmt: skip
ADVERBS = {
    "first", "also", "then", "only", "still", "often", "now", "already", "initially", "later",
    "originally", "usually", "typically", "generally", "always", "never", "not", "currently",
    "soon", "essentially", "consistently",
}  # fmt: skip
_INTRO = re.compile(
    r"^(?:(?:in|on|at|by|during|since|after|before|from|for|over|under|with|within|as|"
    r"until|through|throughout|between|around)\b[^,]{1,60}|[A-Z][a-z]+ly|however|thus|"
    r"therefore|moreover|furthermore|additionally|finally|also|overall|collectively|"
    r"in addition|for example|for instance|today|today's)\s*,\s+",
    re.IGNORECASE,
)


_LEADING_ADVERB = re.compile(
    r"^(?:however|also|additionally|thus|therefore|moreover|furthermore|finally|then|still|"
    r"instead|indeed|similarly|likewise|overall|hence|consequently|nevertheless|besides)\b,?\s+",
    re.IGNORECASE,
)


def drop_intro(sentence: str) -> str:
    sentence = _INTRO.sub("", sentence, count=1)
    sentence = _LEADING_ADVERB.sub("", sentence, count=1)
    return sentence[:1].upper() + sentence[1:]


# A clause or a quantity opens no noun phrase a question can be about: "Although reducing
# open-domain QA to machine reading ...", "None of the tests ...".
_SUBORDINATORS = {
    "although", "though", "while", "whilst", "because", "since", "if", "unless", "whereas",
    "when", "whenever", "whether", "once", "after", "before", "as", "until", "so", "not",
}  # fmt: skip
_QUANTIFIERS = {
    "none", "all", "some", "most", "many", "few", "several", "both", "each", "either",
    "neither", "any", "one", "half", "much", "more", "less", "part", "rest", "majority",
}  # fmt: skip
# Heads that say nothing until the sentence does: "the current-year change", "the exact impact
# on throughput", "the remaining amount".
_VAGUE_HEADS = {
    "company", "group", "examples", "example", "evidence", "piece", "part", "parts", "change",
    "changes", "impact", "effect", "effects", "increase", "decrease", "result", "results",
    "remainder", "difference", "same", "following", "former", "latter", "above", "below", "figure",
    "figures", "rate", "rates", "amount", "balance", "level", "levels", "number", "share", "way",
    "case", "cases", "thing", "things", "issue", "issues", "discussion", "behaviors", "behaviours",
    "party", "parties", "value", "values",
    # "What does Amcor plc state about the projects ...?" (read 11): which projects?
    "project", "projects", "plan", "plans", "matters", "factors", "items", "information",
    "activities",
    # "... state about the table ...?", "... about the FASB ...?" (read 12): the table is on
    # the page, and the standard setter is not what the filing is telling
    "table", "tables", "chart", "charts", "fasb", "iasb",
    # "... state about the initiative ...?" (read 15): which initiative?
    "initiative", "initiatives", "effort", "efforts", "approach",
}  # fmt: skip

_OBJECT_OPENERS = {"the", "a", "an", "that", "its", "their", "his", "her", "our", "this"}


def _noun_use(words: list[str], index: int, following: str) -> bool:
    """A verb-like word used as a noun: followed by a bracket, an auxiliary or another verb."""
    # "Excessive use of injections ...", "the list (MMEL) was ...", "the cost is ...",
    # "Capitalized internal use software is included": a noun compound before its verb
    after = words[index + 2].strip(",;:.").lower() if index + 2 < len(words) else ""
    return (
        (words[index + 1].startswith("(") if index + 1 < len(words) else False)
        or following in AUXILIARIES
        or following == "of"
        or (after in AUXILIARIES and following.isalpha() and following.islower())
    )


_VERB_OPENERS = {
    "based", "according", "due", "given", "following", "including", "regarding", "using",
    "depending", "compared", "indicate", "enter", "check", "see", "note", "refer", "complete",
    "attach", "include", "list", "select", "click", "press", "use", "make", "ensure",
    "contact", "call", "visit", "write", "send", "go", "to", "for",
}  # fmt: skip
_DEMONSTRATIVES = {"this", "that", "these", "those", "such", "said", "same"}
_ABSTRACT = re.compile(r"(?:tion|sion|ment|ance|ence|ity|ness|ing|al)s?$")
_LY_NOUNS = {"family", "supply", "assembly", "monopoly", "anomaly", "reply", "ally", "rally"}


def _modifies_next(words: list[str], index: int) -> bool:
    if index + 2 >= len(words) or not words[index + 1].isalpha():
        return False
    if words[index + 1].lower() in FUNCTION_WORDS:
        return False  # "matured on May 1": a verb and its preposition
    after = words[index + 2]
    return after.startswith("(") or after.strip(",;:.") in AUXILIARIES


def sentence_subject(sentence: str) -> str | None:
    """The noun phrase a sentence opens with, when simple rules can find it and it names
    something a question can be about."""
    words = drop_intro(sentence).split()
    subject: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",;:.()\"'").lower()
        following = words[index + 1].strip(",;:.\"'").lower() if index + 1 < len(words) else ""
        if index > 0 and bare in COMMON_VERBS and _noun_use(words, index, following):
            pass  # "the master minimum equipment list (MMEL) was published": a noun
        elif (
            index > 0
            and (
                bare in AUXILIARIES
                or bare in COMMON_VERBS
                or bare in ADVERBS
                or bare in ("which", "that", "who", "whose", "where")
                or (
                    len(bare) > 4
                    and bare.endswith("ed")
                    and not word[:1].isupper()
                    # "Dividends received were $111": a participle before the verb is the phrase's
                    and following not in AUXILIARIES
                    # "The weight of each full packaged tray (including sensors) is" (read 34): a
                    # participle before its noun and the noun's bracket or verb
                    and not _modifies_next(words, index)
                )
                # "the FAA estimates the average total cost": a name, then its verb
                or (
                    bare.endswith("s")
                    and word.islower()
                    and following in _OBJECT_OPENERS
                    and words[index - 1][:1].isupper()
                )
            )
        ):
            # "Buddhist teachings describe that ...": the word before "that" was the verb
            if bare == "that" and len(subject) >= 2 and subject[-1].islower():
                subject.pop()
            break
        subject.append(word)
        if word.endswith((",", ";", ":")) or len(subject) > 8:
            return None
    if not subject or len(subject) == len(words):
        return None
    # "The Company's regulated New York operations": the phrase stopped on a possessive, whose
    # thing is in the words after it
    if re.search(r"(?:['’]s|s['’])$", subject[-1]):
        return None
    text = " ".join(subject).strip(" ,;:")
    lowered = [w.strip("\"'(),").lower() for w in subject]
    content = [w for w in words_of(text) if w.lower() not in FUNCTION_WORDS]
    if lowered[0] in PRONOUNS or not content or lowered[-1] in FUNCTION_WORDS:
        return None
    if lowered[0] in _SUBORDINATORS or (lowered[0] in _QUANTIFIERS and "of" in lowered[1:3]):
        return None
    if lowered[0] in ADVERBS:
        return None  # "Only once you're done will you apply ...": an inverted clause
    # "Based on this evaluation ...", "Indicate by check mark ...": a verb opens the sentence;
    # "the balances in those accounts" leans on a sentence before it.
    if lowered[0] in _VERB_OPENERS or _DEMONSTRATIVES & set(lowered):
        return None
    # "the most frequently", "the remaining approximately $ 5.3 million": no thing is named.
    adverb = lowered[-1].endswith("ly") and lowered[-1] not in _LY_NOUNS and subject[-1].islower()
    if adverb or re.search(r"[\d$€£¥%]", text):
        return None
    # "For components not listed in Tab 8, consideration shall be given ...": an abstract
    # noun alone, the intro dropped, is what the sentence does, not what it is about.
    lowercase = re.search(rf"\b{re.escape(lowered[0])}\b", sentence) is not None
    if len(subject) == 1 and lowercase and _ABSTRACT.search(lowered[0]):
        return None
    head = re.split(r"\s(?:of|on|in|for|to|with|from|by|at)\s", text.lower(), maxsplit=1)[0]
    # "the Company" stays vague for its capital; "the Audit Committee" names one thing
    head_word = head.split()[-1]
    named = any(w[:1].isupper() and w.lower().strip(",.") != head_word for w in subject[1:])
    if head_word in _VAGUE_HEADS and not named:
        return None
    if lowered[0] in ("either", "neither") or (lowered[0] in ("its", "our") and len(subject) == 2):
        return None  # "either party", "its discussion": which one, the sentence before says
    if text.count("(") != text.count(")") or text.count('"') % 2:
        return None
    return text


_SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "by", "at", "or", "with"}


_LEGAL_FORMS = {
    "inc": "Inc.", "corp": "Corp.", "ltd": "Ltd", "plc": "plc", "llc": "LLC", "co": "Co.",
}  # fmt: skip


def display_subject(subject: str) -> str:
    """A subject set in capitals on a cover ("DIESEL ENGINES", "CUPERTINO UNION SCHOOL
    DISTRICT") as a title reads mid-question; short all-capital words stay (IBM, FAA), legal
    forms are written as such ("GENERAL MILLS, INC" -> "General Mills, Inc."). A long title's
    subtitle goes: "High-Performance Computing (HPC) Security: Architecture, Threat Analysis,
    and Security Posture" is cited by its title."""
    title, colon, _ = subject.partition(": ")
    if colon and len(subject.split()) > 8 and len(title.split()) >= 2:
        subject = title
    letters = [c for c in subject if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or len(subject.split()) < 2:
        words = subject.split()
        form = words[-1].strip(".").lower() if len(words) > 1 else ""
        return " ".join([*words[:-1], _LEGAL_FORMS[form]]) if form in _LEGAL_FORMS else subject
    words = []
    for index, word in enumerate(subject.split()):
        lowered = word.lower()
        if index and lowered in _SMALL_WORDS:
            words.append(lowered)
        elif lowered.strip(".,") in _LEGAL_FORMS:  # "CO.," of "BEST BUY CO., INC"
            form = _LEGAL_FORMS[lowered.strip(".,")]
            words.append(form + ("," if word.endswith(",") else ""))
        elif len(word.strip("().,&-")) <= 3 and lowered not in _SMALL_WORDS:
            words.append(word)
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def with_subject(question: str, subject: str | None) -> str:
    """`question` naming the document's subject: "According to <subject>, what ...?" unless it
    names it already; the subject is what tells five issuers' identical questions apart."""
    if not subject:
        return question
    plain = re.sub(r"\W+", " ", subject).strip().lower()
    # "Universal Serial Bus (USB)" is named by "What does Universal Serial Bus say about ...?"
    # (read 40: "According to Universal Serial Bus (USB), what does Universal Serial Bus ...")
    short = re.sub(r"\W+", " ", re.sub(r"\s*\([^)]*\)", "", subject)).strip().lower()
    asked = re.sub(r"\W+", " ", question).lower()
    if not plain or plain in asked or (len(short) > 3 and short in asked):
        return question
    first, _, rest = question.partition(" ")
    opener = first.lower() if first.lower() in _WH_WORDS else first
    return f"According to {subject}, {opener} {rest}".strip()


_WH_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
