"""Sentence splitting: offsets into the paragraph, abbreviations and initials in both languages."""
from __future__ import annotations

import pytest

from loaders.sentences import split_sentences


def _texts(text: str, lang: str) -> list[str]:
    return [s.text for s in split_sentences(text, lang)]


def test_offsets_point_into_the_paragraph() -> None:
    text = "  JSC Arnest is the anchor.  The cluster grew!   Did it? Yes. "
    sentences = split_sentences(text, "en")
    assert [s.text for s in sentences] == ["JSC Arnest is the anchor.", "The cluster grew!", "Did it?", "Yes."]
    for s in sentences:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text,expected", [
    ("According to Government Decree No. 1659, a park can get a subsidy. It was signed.",
     ["According to Government Decree No. 1659, a park can get a subsidy.", "It was signed."]),
    ("Dr. Smith met Mr. Popov in St. Petersburg. They agreed.",
     ["Dr. Smith met Mr. Popov in St. Petersburg.", "They agreed."]),
    ("See Fig. 3 for the map. Approx. 5 firms joined.", ["See Fig. 3 for the map.", "Approx. 5 firms joined."]),
    ("JSC Arnest signed it. LLC Essity joined later.", ["JSC Arnest signed it.", "LLC Essity joined later."]),
    ("Arnest Co. Ltd. is the anchor. The cluster grew.", ["Arnest Co. Ltd. is the anchor.", "The cluster grew."]),
    ("He works for Apple Inc. The company grew.", ["He works for Apple Inc.", "The company grew."]),
    ("Governor A. G. Dyumin signed. The cluster grew.", ["Governor A. G. Dyumin signed.", "The cluster grew."]),
])
def test_english_abbreviations(text: str, expected: list[str]) -> None:
    assert _texts(text, "en") == expected


@pytest.mark.parametrize("text,expected", [
    ("Завод открыт в г. Туле на ул. Ленина, д. 5. Он работает.",
     ["Завод открыт в г. Туле на ул. Ленина, д. 5.", "Он работает."]),
    ("Соглашение подписал А. С. Пушкин. Кластер создан.", ["Соглашение подписал А. С. Пушкин.", "Кластер создан."]),
    ("Губернатор А.Г. Дюмин, т.е. глава региона, выступил. Далее слово взял министр.",
     ["Губернатор А.Г. Дюмин, т.е. глава региона, выступил.", "Далее слово взял министр."]),
    ("Выделено 10 млн руб. на проект. В 2020 г. завод открыт.",
     ["Выделено 10 млн руб. на проект.", "В 2020 г. завод открыт."]),
    ("«Это важно. Мы готовы», – подчеркнул он. Кластер растёт.",
     ["«Это важно.", "Мы готовы», – подчеркнул он.", "Кластер растёт."]),
])
def test_russian_abbreviations_and_initials(text: str, expected: list[str]) -> None:
    assert _texts(text, "ru") == expected


def test_empty_paragraph_has_no_sentences() -> None:
    assert split_sentences("", "ru") == []
