"""Readers: formats, encodings, boilerplate, titles, dates and languages of source documents."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from klaster.settings import seeds_dir
from loaders.boilerplate import strip_boilerplate
from loaders.dates import find_date, parse_date
from loaders.langdetect import detect, detect_document
from loaders.readers import MAX_BYTES, ReadError, read_bytes, read_path

RU_TEXT = ("В Туле создан кластер «Упаковка на основе алюминиевой фольги»\n10.06.2024\n\n"
           "Якорным предприятием кластера станет ООО «Презент упаковка». Губернатор Алексей Дюмин "
           "подписал соглашение — №5, ёлка.\n")


# --- seeds: the readers reproduce the gold's document fields -----------------------------------

@pytest.mark.parametrize("seed", sorted(p.name for p in seeds_dir().glob("*.txt")))
def test_seed_document_fields_equal_gold(seed: str, shared_dir: Path) -> None:
    gold_file = shared_dir / "gold" / "seeds" / seed.replace(".txt", ".json")
    if not gold_file.exists():
        pytest.skip(f"gold annotations not found at {gold_file}")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))["documents"][0]
    (doc,) = read_path(seeds_dir() / seed)
    assert (doc.id, doc.lang, doc.title, doc.date) == (gold["id"], gold["lang"], gold["title"], gold["date"])
    assert len(doc.content_hash) == 64 and doc.text == "\n\n".join(p.text for p in doc.paragraphs)


def test_seed_boilerplate_is_dropped_and_article_kept() -> None:
    (altai,) = read_path(seeds_dir() / "002_32cb89deb033ca7f.txt")
    assert altai.paragraphs[-1].text.startswith("The NP Altai Polymer Composite Cluster includes")
    assert not any(s in altai.text for s in ("Companies:", "Related Articles", "Back to top", "Terms:"))
    (vladimir,) = read_path(seeds_dir() / "003_bc3f268473bb1fe3.txt")
    assert "Разместите" not in vladimir.text and "СтеклоСоюз" not in vladimir.text
    assert vladimir.text.rstrip().endswith("that have already been worked out.")
    assert {p.lang for p in vladimir.paragraphs} == {"en"}
    assert vladimir.text.count("The Vladimir region will create and develop industrial clusters") == 1
    (omsk,) = read_path(seeds_dir() / "001_b1d624e466ddd344.txt")
    assert "×" not in omsk.text and omsk.text.rstrip().endswith("подчеркнул он.")


# --- boilerplate patterns on text written for the test --------------------------------------------

def test_trailing_block_cut_but_article_lines_kept() -> None:
    article = ["Headline of the story", "The plant opened in May.", "Its owner said: it works."]
    tail = ["Tags: industry, clusters", "Share this article", "Another headline", "Yet another one"]
    assert strip_boilerplate(article + tail) == article
    ru_tail = ["Подпишитесь на нашу рассылку", "Читайте также", "Новый завод открыт в Калуге", "©"]
    assert strip_boilerplate(article + ru_tail) == article


def test_short_unpunctuated_last_line_without_a_block_is_kept() -> None:
    # A short line at the end is only boilerplate inside a block: here there is none.
    paras = ["Headline", "The plant opened.", "Minister Ivan Petrov"]
    assert strip_boilerplate(paras) == paras


# --- encodings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16", "utf-16-le", "utf-16-be"])
def test_russian_text_decoded_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    text = RU_TEXT if encoding != "koi8_r" else RU_TEXT.replace("—", "-").replace("№", "N")
    path = tmp_path / "news.txt"
    path.write_bytes(text.encode(encoding))
    (doc,) = read_path(path)
    assert doc.title == "В Туле создан кластер «Упаковка на основе алюминиевой фольги»"
    assert "ООО «Презент упаковка»" in doc.text and "ёлка" in doc.text
    assert doc.lang == "ru" and doc.date == "2024-06-10" and doc.id == "news.txt"


def test_koi8_r_is_told_from_windows_1251(tmp_path: Path) -> None:
    text = RU_TEXT.replace("«", '"').replace("»", '"').replace("—", "-").replace("№", "N")
    path = tmp_path / "koi.txt"
    path.write_bytes(text.encode("koi8_r"))
    (doc,) = read_path(path)
    assert "Якорным предприятием кластера станет" in doc.text
    assert doc.meta["encoding"] == "koi8_r"


def test_binary_content_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "broken.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4000)) + b"\x00\x00")
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(path) in str(err.value) and "binary" in err.value.reason


def test_control_characters_without_nul_are_refused(tmp_path: Path) -> None:
    rng = random.Random(5)
    path = tmp_path / "noise.dat"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(3000)))
    with pytest.raises(ReadError, match="noise.dat"):
        read_path(path)


def test_empty_and_oversized_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(ReadError, match="empty"):
        read_path(empty)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no 20 MB write needed
    with pytest.raises(ReadError, match="too large"):
        read_path(big)


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="nothere.txt"):
        read_path(tmp_path / "nothere.txt")


# --- formats -------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1251">
<title>Кластер создан — Новости Тулы</title>
<meta property="article:published_time" content="2024-06-10T09:00:00+03:00"></head>
<body><header class="site-header"><a href="/">Logo</a>
<ul class="menu"><li><a href="/a">Главная</a></li><li><a href="/b">Новости</a></li><li><a href="/c">Контакты</a></li></ul>
</header><nav><a href="/x">Раздел 1</a> <a href="/y">Раздел 2</a></nav>
<div class="layout"><div class="content"><div class="post">
<h1>Кластер создан в Тульской области</h1>
<p>АО «Арнест» стало якорным предприятием кластера.</p>
<p>В состав кластера вошли <a href="/e">ООО «Эссити»</a> и другие компании региона.</p>
<div class="share-buttons"><a href="#">VK</a><a href="#">TG</a><a href="#">OK</a></div></div>
<div class="related-posts"><h3>Похожие новости</h3><ul><li><a href="/1">Новость 1</a></li>
<li><a href="/2">Новость 2</a></li><li><a href="/3">Новость 3</a></li></ul></div></div>
<aside><p>Реклама тут</p></aside></div>
<form><input name="q"><p>Поиск по сайту</p></form>
<footer><p>© 2024 Новости Тулы. Все права защищены.</p></footer>
<script>var tracker = "Губернатор";</script><style>p {color: red}</style></body></html>"""


def test_html_main_text_without_navigation_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.encode("cp1251"))
    (doc,) = read_path(path)
    assert doc.title == "Кластер создан в Тульской области"
    assert doc.date == "2024-06-10"
    assert [p.text for p in doc.paragraphs] == [
        "Кластер создан в Тульской области",
        "АО «Арнест» стало якорным предприятием кластера.",
        "В состав кластера вошли ООО «Эссити» и другие компании региона.",
    ]
    for junk in ("Главная", "Раздел", "Похожие", "Реклама", "Поиск", "©", "tracker", "color", "VK"):
        assert junk not in doc.text


def test_html_without_article_markup_uses_the_densest_block() -> None:
    body = " ".join(f"<p>Sentence number {i} about the Kaluga cluster and its members.</p>" for i in range(6))
    page = (f"<html><head><title>Kaluga news | Site</title></head><body><div id='top'><a href='/'>Home</a></div>"
            f"<div class='wrap'><div class='col'><p>Short teaser.</p></div><div class='col'>{body}</div></div>"
            f"</body></html>")
    (doc,) = read_bytes(page.encode(), "x.htm", None)
    assert doc.title == "Kaluga news"
    assert "Short teaser" not in doc.text and "Home" not in doc.text
    assert doc.paragraphs[1].text == "Sentence number 0 about the Kaluga cluster and its members."


def test_markdown_markup_is_stripped() -> None:
    md = ("---\ntitle: Cluster news\ndate: 2024-03-05\n---\n# Cluster news\n\n"
          "The **Tula** cluster, see [the site](http://example.org), grew\nby *ten* members.\n\n"
          "- JSC Arnest\n- LLC Essity\n\n![logo](logo.png)\n\n```\ncode = 1\n```\n")
    (doc,) = read_bytes(md.encode(), "news.md", None)
    assert [p.text for p in doc.paragraphs] == [
        "Cluster news", "The Tula cluster, see the site, grew by ten members.", "JSC Arnest", "LLC Essity"]
    assert (doc.title, doc.date) == ("Cluster news", "2024-03-05")


def test_json_object_and_list(tmp_path: Path) -> None:
    item = {"title": "Кластер в Калуге", "text": "В Калужской области создан кластер.", "date": "2024-07-03"}
    one = tmp_path / "one.json"
    one.write_text(json.dumps({**item, "url": "https://example.org/a"}, ensure_ascii=False), encoding="utf-8")
    (doc,) = read_path(one)
    assert doc.id == "https://example.org/a" and doc.date == "2024-07-03" and doc.lang == "ru"
    assert [p.text for p in doc.paragraphs] == ["Кластер в Калуге", "В Калужской области создан кластер."]
    many = tmp_path / "many.json"
    many.write_text(json.dumps([item, {"text": "Second article about Tula."}]), encoding="utf-8")
    docs = read_path(many)
    assert [d.id for d in docs] == ["many.json#0", "many.json#1"]
    assert [d.meta["index"] for d in docs] == ["0", "1"]
    assert docs[1].title == "Second article about Tula." and docs[1].lang == "en"


@pytest.mark.parametrize("payload,reason", [
    ('{"title": "x", "text": "unterminated', "malformed JSON"),
    ('{"title": "no text here"}', "no 'text' field"),
    ("[1, 2]", "expected an object"),
])
def test_bad_json_is_a_read_error(tmp_path: Path, payload: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert reason in err.value.reason and "bad.json" in str(err.value)


def test_stdin_content_is_sniffed() -> None:
    (html,) = read_bytes(b"<html><body><article><h1>Title</h1><p>" + b"Body text. " * 30 + b"</p></article>"
                         b"</body></html>", "stdin", None)
    assert html.id == "stdin" and html.title == "Title" and html.meta["format"] == "html"
    (text,) = read_bytes("Просто текст о кластере.".encode("cp1251"), "stdin", None)
    assert text.text == "Просто текст о кластере." and text.meta["format"] == "text"


def test_hard_wrapped_lines_are_joined_but_news_lines_are_not() -> None:
    wrapped = "The cluster was created in 2016 and\nincludes ten enterprises of the region.\nA new line starts here."
    (doc,) = read_bytes(wrapped.encode(), "w.txt", None)
    assert [p.text for p in doc.paragraphs] == [
        "The cluster was created in 2016 and includes ten enterprises of the region.", "A new line starts here."]


# --- languages and dates -------------------------------------------------------------------------

def test_language_per_document_and_paragraph() -> None:
    paragraphs = ["The anchor enterprise of the cluster is JSC Arnest, based in Nevinnomyssk.",
                  "Its partners include several colleges of Stavropol region.",
                  "Подпишитесь на новости кластера", "10.06.2024", "漢字とかなの文章です。"]
    main, langs = detect_document(paragraphs)
    assert main == "en" and langs == ["en", "en", "ru", "en", "other"]
    assert detect("АО «Арнест» (JSC Arnest) — якорное предприятие") == "ru"
    assert detect("") == "other"


@pytest.mark.parametrize("text,expected", [
    ("10.06.2024", "2024-06-10"), ("June 10, 2024", "2024-06-10"), ("10 June 2024", "2024-06-10"),
    ("10 июня 2024 года", "2024-06-10"), ("Опубликовано 3 марта 2023 г.", "2023-03-03"),
    ("2024-06-10T09:00:00Z", "2024-06-10"), ("31.02.2024", None), ("On July 3", None), ("Sochi-2018", None),
    ("In 2024, the region", None),
])
def test_date_shapes(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_find_date_prefers_the_dateline() -> None:
    paras = ["Headline", "The plant opened on 5 May 2021 after a decade.", "12.06.2024"]
    assert find_date(paras) == "2024-06-12"
    assert find_date(["Nothing here", *["text"] * 10, "01.01.2020"]) is None  # too far down


def test_random_bytes_never_crash_the_reader() -> None:
    rng = random.Random(11)
    for _ in range(30):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 500)))
        try:
            docs = read_bytes(data, "r.txt", None)
        except ReadError as err:
            assert err.path == "r.txt"
        else:
            assert all(d.text for d in docs)


def test_text_is_made_uniform_and_a_dateline_is_not_the_title() -> None:
    raw = "10.06.2024\r\nКластер\u00a0создан в Туле\u00ad\r\nИ\u0306ошкар-Ола\u200b приняла делегацию.\r\n"
    (doc,) = read_bytes(raw.encode("utf-8"), "n.txt", None)
    assert doc.title == "Кластер создан в Туле" and doc.date == "2024-06-10"
    assert "Йошкар-Ола приняла делегацию." in doc.text  # composed Й, no zero-width space


def test_photo_credits_are_dropped_anywhere() -> None:
    paras = ["Headline", "Фото: пресс-служба правительства Тульской области", "The cluster grew."]
    assert strip_boilerplate(paras) == ["Headline", "The cluster grew."]


@pytest.mark.parametrize("module", ["loaders.readers", "loaders.encoding", "loaders.dates", "loaders.htmltext",
                                    "loaders.markdown", "loaders.boilerplate", "loaders.langdetect",
                                    "loaders.sentences", "loaders.inputs"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    failures, _ = doctest.testmod(importlib.import_module(module))
    assert failures == 0


def test_linked_member_list_inside_an_article_is_content_and_br_text_is_kept() -> None:
    page = ("<html><body><nav><a href=/>Home</a><a href=/n>News</a><a href=/c>Contacts</a></nav><article>"
            "<header><h1>Кластер расширился</h1><time datetime='2024-05-01'>1 мая</time></header>"
            "<p>В состав кластера вошли новые участники, сообщили в министерстве промышленности региона.</p>"
            "<ul><li><a href=/a>ООО «Альфа»</a></li><li><a href=/b>АО «Бета»</a></li><li><a href=/c>ПАО «Гамма»</a>"
            "</li></ul><footer><div class='tags'><a>кластер</a><a>Тула</a><a>завод</a></div></footer></article>"
            "</body></html>")
    (doc,) = read_bytes(page.encode(), "a.html", None)
    assert [p.text for p in doc.paragraphs][-3:] == ["ООО «Альфа»", "АО «Бета»", "ПАО «Гамма»"]
    assert doc.date == "2024-05-01" and "Home" not in doc.text and "завод" not in doc.text
    table = ("<html><body><table><tr><td><a href=/>Главная</a> <a href=/n>Новости</a> <a href=/x>О нас</a></td></tr>"
             "<tr><td>Губернатор подписал соглашение о создании кластера.<br>Создано 500 рабочих мест.</td></tr>"
             "</table></body></html>")
    (old,) = read_bytes(table.encode("cp1251"), "old.htm", None)
    assert [p.text for p in old.paragraphs] == ["Губернатор подписал соглашение о создании кластера.",
                                                "Создано 500 рабочих мест."]


def test_more_trailing_shapes_and_breadcrumbs() -> None:
    article = ["Кластер создан в Калужской области", "Губернатор подписал соглашение о создании кластера."]
    text = ["Главная › Новости › Промышленность", *article, "Источник: пресс-служба губернатора",
            "Нашли опечатку? Выделите текст и нажмите Ctrl+Enter", "Предыдущая статья", "Завод открыт в Туле",
            "Комментарии (0)"]
    assert strip_boilerplate(text) == article
    en = ["Home / News", "Cluster created", "The governor signed it.", "Previous article", "Plant opens",
          "Print", "Comments"]
    assert strip_boilerplate(en) == ["Cluster created", "The governor signed it."]


def test_unknown_format_sniffing_keeps_plain_text_plain() -> None:
    news = "Кластер создан\n10.06.2024\n- Первая цитата.\n- Вторая цитата.\n- Третья цитата.\n"
    (doc,) = read_bytes(news.encode(), "stdin", None)
    assert doc.meta["format"] == "text" and [p.text for p in doc.paragraphs][:2] == ["Кластер создан", "10.06.2024"]
    (md,) = read_bytes(b"# Title\n\nBody with [a link](https://x.org).", "stdin", None)
    assert md.meta["format"] == "markdown" and md.paragraphs[1].text == "Body with a link."


def test_cross_links_inside_the_article_are_dropped() -> None:
    paras = ["Headline", "The cluster grew.", "Читайте также: Завод в Калуге открыт", "Read also: Tula plant",
             "The governor agreed."]
    assert strip_boilerplate(paras) == ["Headline", "The cluster grew.", "The governor agreed."]


def test_random_bytes_with_nuls_are_binary_not_utf16(tmp_path) -> None:
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"\x00\x01\x02\xff" * 500)
    with pytest.raises(ReadError, match="binary"):
        read_path(bad)


# The reading hot paths count characters with regexes over ranges checked once; these tests compare
# them with the plain per-character definitions over every code point, so a wrong range shows up.
_ALL_CHARS = "".join(map(chr, range(0x110000)))


def _is_control_reference(ch: str) -> bool:
    import unicodedata

    if ch in "\t\n\r\f":
        return False
    return ch < " " or ch in "\x7f\ufffd" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def test_control_share_counts_exactly_the_control_characters() -> None:
    from loaders.encoding import control_share

    expected = sum(map(_is_control_reference, _ALL_CHARS))
    assert round(control_share(_ALL_CHARS) * len(_ALL_CHARS)) == expected
    # tab, newlines and form feed are text; VT, DEL, U+FFFD, private use and unassigned are not
    crafted = "Тула\t\n\r\f a\x0b\x7f\ufffd\ue000\u0378"
    assert control_share(crafted) == pytest.approx(5 / len(crafted))
    assert control_share("Тульская область — «Арнест», № 5, 10 °C") == 0.0


def test_symbol_count_counts_exactly_the_symbols() -> None:
    import unicodedata

    from loaders.encoding import symbol_count

    expected = sum(1 for ch in _ALL_CHARS if unicodedata.category(ch) == "So" or 0x2500 <= ord(ch) <= 0x259F)
    assert symbol_count(_ALL_CHARS) == expected
    assert symbol_count("© 2024 № 5 ° ─ ҂ abc") == 5  # ©, №, °, box drawing, Cyrillic thousands sign


def test_script_counts_match_a_per_character_count() -> None:
    from loaders.langdetect import script_counts

    cyr = sum(1 for ch in _ALL_CHARS if ch.isalpha() and 0x0400 <= ord(ch) <= 0x052F)
    lat = sum(1 for ch in _ALL_CHARS if ch.isalpha() and ord(ch) < 0x0250)
    other = sum(1 for ch in _ALL_CHARS if ch.isalpha()) - cyr - lat
    assert script_counts(_ALL_CHARS) == (cyr, lat, other)
    # superscript two, one half and the Cyrillic thousands sign are not letters; ñ is Latin
    assert script_counts("Тула Tula 東京 ² ½ ҂ ñ — «»") == (4, 5, 2)


@pytest.mark.parametrize(("text", "expected"), [
    ("JUNE 10, 2024", "2024-06-10"),
    ("published june 10th, 2024 in Tula", "2024-06-10"),
    ("ИЮНЯ 10, 2024", "2024-06-10"),
    ("10.06.\u0662\u0660\u0662\u0664", "2024-06-10"),  # any Unicode digits, as the patterns accept them
    ("June 10, 202", None),  # no four-digit year: no date
    ("10.06.24", None),
])
def test_date_patterns_after_the_year_prefilter(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_find_date_searches_each_paragraph_once_but_keeps_both_passes() -> None:
    # the dateline (a line that is little more than a date) wins over an earlier date in prose
    paras = ["Headline", "The plant opened on 3 May 2023 after a long wait in the region", "10.06.2024", "Text"]
    assert find_date(paras) == "2024-06-10"
    assert find_date(["Headline", "The plant opened on 3 May 2023 after a long wait in the region"]) == "2023-05-03"


def test_clean_text_replaces_each_invisible_character() -> None:
    from loaders.readers import clean_text

    text = "a\xa0b\u2007c\u202fd\u2009e\xadf\u200bg\u200ch\u200di\u2060j\ufeffk\r\nl\rm"
    assert clean_text(text) == "a b c d efghijk\nl\nm"
    assert clean_text("Тула — «Арнест»") == "Тула — «Арнест»"
