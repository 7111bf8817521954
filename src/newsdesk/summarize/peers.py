"""Reference summarizers: lead, and sumy's LexRank and TextRank (imported only when used).

sumy's own ``Tokenizer`` downloads NLTK data, so sumy gets ``SentencesTokenizer`` instead:
the sentences are ours already, and words come from our regex.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import zip_longest
from typing import Any

from ..models import Article, Sentence
from .select import fill
from .text import words as word_tokens


def lead(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """First sentences of each article in turn (round robin), as many as fit.

    >>> a = Article.create(source="x", text="One. Two.")
    >>> s = {a.id: [Sentence(a.id, 0, 0, 4, "One."), Sentence(a.id, 1, 5, 9, "Two.")]}
    >>> [x.text for x in lead([a], s, words=1)]
    ['One.']
    """
    columns = [sentences.get(a.id, ()) for a in articles]
    ranked = [s for row in zip_longest(*columns) for s in row if s is not None]
    return fill(ranked, words)


class SentencesTokenizer:
    """The tokenizer object sumy asks for, without NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return word_tokens(sentence)


def _sumy(
    kind: str,
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    words: int,
) -> list[Sentence]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = SentencesTokenizer()
    flat = [s for a in articles for s in sentences.get(a.id, ())]
    by_text: dict[str, Sentence] = {}
    paragraphs = []
    for article in articles:
        row = []
        for sentence in sentences.get(article.id, ()):
            by_text.setdefault(sentence.text.strip(), sentence)
            row.append(SumySentence(sentence.text, tokenizer))
        paragraphs.append(Paragraph(row))
    base = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer

    class Ranked(base):  # type: ignore[misc,valid-type]
        # sumy returns its top sentences in document order; the budget needs its ranking.
        @staticmethod
        def _get_best_sentences(
            items: Sequence[Any], count: Any, rating: Any, *args: Any, **kwargs: Any
        ) -> list[Any]:
            return sorted(items, key=lambda s: -rating[s])

    summarizer = Ranked(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ranked = summarizer(ObjectDocumentModel(paragraphs), len(flat))
    picked = fill((by_text[str(s)] for s in ranked), words)
    position = {id(s): i for i, s in enumerate(flat)}
    return sorted(picked, key=lambda s: position[id(s)])


def lexrank(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """sumy's LexRank ranking, filled to the budget, in source order."""
    return _sumy("lexrank", articles, sentences, words)


def textrank(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """sumy's TextRank ranking, filled to the budget, in source order."""
    return _sumy("textrank", articles, sentences, words)
