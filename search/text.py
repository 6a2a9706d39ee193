"""Text rules shared by the index, the query and the highlighter.

A query matches an entry when every whitespace-separated term of it is a
substring of the entry's text, compared after `fold` (lower case, character by
character). The n-gram index is exact for terms of one to three characters (the
term is itself a gram); for longer terms it only narrows the candidates.
"""

from __future__ import annotations

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
# Grams of one, two and three characters are indexed: a term that long is one gram.
GRAM_SIZE = 3
# One more than the number of Unicode code points: a gram read as digits of
# this base (each digit its code point plus one) is one integer, different for
# every gram of up to three characters and below 2**61.
_BASE = 0x110001


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


def gram_number(gram: str) -> int:
    """The integer the index stores for a gram of one to three characters.

    Integers, not text: postings compare and sort as machine words (text would
    go through the collation), and a Chinese character pair is no wider.
    """
    number = 0
    for char in gram:
        number = number * _BASE + ord(char) + 1
    return number


def grams_of_term(term: str) -> set[str]:
    """The grams a folded term needs: itself if it is short enough, else its trigrams."""
    if len(term) <= GRAM_SIZE:
        return {term}
    return {term[i : i + GRAM_SIZE] for i in range(len(term) - GRAM_SIZE + 1)}


def grams_of_text(folded: str) -> set[str]:
    """Every gram of one to three characters of folded text that a query term could ask for.

    Grams never contain whitespace: terms are split on it, so a gram across a
    space (or across two fields, joined by newlines) is never looked up.
    """
    grams: set[str] = set()
    for run in folded.split():
        for size in range(1, GRAM_SIZE + 1):
            grams.update(run[i : i + size] for i in range(len(run) - size + 1))
    return grams
