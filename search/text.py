"""Text rules shared by the index, the query and the highlighter.

A query matches an entry when every whitespace-separated term of it is a
substring of the entry's text, compared after `fold` (lower case, character by
character). The n-gram index only narrows the candidates; it never decides
alone except where it is exact (terms of one or two characters).
"""

from __future__ import annotations

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8


def fold(text: str) -> str:
    """Lower-case `text` one character at a time.

    Per character, not `str.lower()` on the whole string: that one is
    context-sensitive (a final Greek sigma), and the index, the query and the
    highlighter must all fold a character the same way wherever it stands.
    """
    return "".join(char.lower() for char in text)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each folded character, the index of its source character.

    Folding may lengthen text ("İ" becomes two characters); the highlighter
    maps matches in the folded text back to the text it shows.
    """
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        lowered = char.lower()
        folded.append(lowered)
        positions.extend([index] * len(lowered))
    return "".join(folded), positions


def query_terms(query: str) -> list[str]:
    """The folded, distinct terms of a query, in the order typed."""
    terms: list[str] = []
    for raw in query.split():
        term = fold(raw)
        if term not in terms:
            terms.append(term)
    return terms


def grams_of_term(term: str) -> set[str]:
    """The postings a folded term needs: itself if one character, else its bigrams."""
    if len(term) == 1:
        return {term}
    return {term[i : i + 2] for i in range(len(term) - 1)}


def grams_of_text(folded: str) -> set[str]:
    """Every unigram and bigram of folded text that a query term could ask for.

    Grams never contain whitespace: terms are split on it, so a gram across a
    space (or across two fields, joined by newlines) is never looked up.
    """
    grams: set[str] = set()
    for run in folded.split():
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams
