"""Name normalisation: legal forms, identity keys, transliteration, nominative, the scorer's norm."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.normalize import (
    cyrillic_person,
    cyrillic_variants,
    identity_key,
    latin_variants,
    nominative_ru,
    norm_for_match,
    split_legal_form,
    strip_quotes,
    transliterate_ru,
)

SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"


@pytest.mark.parametrize(("name", "expected"), [
    ("ООО «Презент упаковка»", ("Презент упаковка", "LLC")),
    ("JSC Arnest", ("Arnest", "JSC")),
    ("АО «Арнест»", ("Арнест", "JSC")),
    ("Arnest JSC", ("Arnest", "JSC")),
    ("Gazprom, PJSC", ("Gazprom", "PJSC")),
    ("ПАО «Газпром»", ("Газпром", "PJSC")),
    ("ЗАО “Тульский завод”", ("Тульский завод", "CJSC")),
    ("ОАО \"РЖД\"", ("РЖД", "OJSC")),
    ("OOO National Aerosol Cluster", ("National Aerosol Cluster", "LLC")),
    ("NP Altai Polymer Composite Cluster", ("Altai Polymer Composite Cluster", "NP")),
    ("НП «Алтайский кластер»", ("Алтайский кластер", "NP")),
    ("АНО ДПО «Институт экономики знаний»", ("Институт экономики знаний", "ANO")),
    ("АНО «Агентство развития»", ("Агентство развития", "ANO")),
    ("ФГУП «Завод»", ("Завод", "FSUE")),
    ("ФГБОУ ВО «Тульский государственный университет»", ("Тульский государственный университет", "FSBEI")),
    ("Общество с ограниченной ответственностью «Ромашка»", ("Ромашка", "LLC")),
    ("Limited Liability Company Romashka", ("Romashka", "LLC")),
    ("Acme Ltd", ("Acme", "Ltd")),
    ("Acme, Inc.", ("Acme", "Inc")),
    ("ООО «Презент упаковка", ("Презент упаковка", "LLC")),  # NER span that lost its closing quote
    ("«Арнест»", ("Арнест", None)),
    ("Аорта", ("Аорта", None)),  # starts like "АО" but is a word
    ("Аэрофлот", ("Аэрофлот", None)),
    ("ООО", ("ООО", None)),  # nothing left: not a name with a legal form
])
def test_split_legal_form(name: str, expected: tuple[str, str | None]) -> None:
    assert split_legal_form(name) == expected


def test_legal_forms_table() -> None:
    from loaders.normalize import LEGAL_FORMS

    for form, code in [("ООО", "LLC"), ("OOO", "LLC"), ("LLC", "LLC"), ("АО", "JSC"), ("JSC", "JSC"),
                       ("ПАО", "PJSC"), ("PJSC", "PJSC"), ("ЗАО", "CJSC"), ("ОАО", "OJSC"), ("НП", "NP"),
                       ("АНО", "ANO"), ("АНО ДПО", "ANO"), ("ФГУП", "FSUE"), ("ГУП", "SUE"), ("МУП", "MUE"),
                       ("ГБПОУ", "SBPEI"), ("Ltd", "Ltd"), ("Inc", "Inc")]:
        assert LEGAL_FORMS[form] == code


def test_strip_quotes() -> None:
    assert strip_quotes("«Завод «Ресурс»»") == "Завод «Ресурс»"
    assert strip_quotes("“Arnest”") == "Arnest"
    assert strip_quotes("„Арнест“") == "Арнест"
    assert strip_quotes("'Arnest'") == "Arnest"
    assert strip_quotes("«Композиты без границ» и «Композитная долина»") == \
        "«Композиты без границ» и «Композитная долина»"


@pytest.mark.parametrize(("a", "b"), [
    ("АО «Арнест»", "Арнест"),
    ("АО «Арнест»", "акционерное общество \"Арнест\""),
    ("JSC Arnest", "Arnest"),
    ("JSC Arnest", "arnest LLC"),  # legal form is not part of identity
    ("ООО «Презент упаковка»", "Презент Упаковка"),
    ("Фонда развития промышленности Тульской области", "Фонд развития промышленности Тульской области"),
    ("Минпромторгом России", "Минпромторг России"),
    ("Ассоциации кластеров, технопарков и ОЭЗ России", "ассоциация кластеров технопарков и ОЭЗ России"),
    ("Щёкинский химический кластер", "Щекинский химический кластер"),
    ("Altai-Polymer  Composite", "altai polymer composite"),
    ("ＡＢＣ", "abc"),  # NFKC
])
def test_identity_key_equal(a: str, b: str) -> None:
    assert identity_key(a) == identity_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Арнест", "Arnest"),  # scripts differ: identity across scripts goes through aliases
    ("Фонд развития промышленности", "Фонд развития промышленности Тульской области"),
    ("Тульский кластер", "Калужский кластер"),
    ("Composite Valley", "Composites without Borders"),
])
def test_identity_key_different(a: str, b: str) -> None:
    assert identity_key(a) != identity_key(b)


def test_identity_key_shape() -> None:
    assert identity_key("ООО «Презент упаковка»") == "презент упаковка"
    assert identity_key("JSC Arnest") == "arnest"
    assert identity_key("Кластера средств реабилитации") == "кластер средство реабилитация"


@pytest.mark.parametrize(("oblique", "nominative"), [
    ("Фонда развития промышленности Тульской области", "Фонд развития промышленности Тульской области"),
    ("Министерства промышленности и торговли Тульской области",
     "Министерство промышленности и торговли Тульской области"),
    ("Группы ПТК", "Группа ПТК"),
    ("Минпромторгом России", "Минпромторг России"),
    ("регионального Фонда развития промышленности", "региональный Фонд развития промышленности"),
    ("Ассоциации кластеров, технопарков и ОЭЗ России", "Ассоциация кластеров, технопарков и ОЭЗ России"),
    ("кластера средств реабилитации", "кластер средств реабилитации"),
    ("Правительством Тульской области", "Правительство Тульской области"),
    ("Тульского областного кластера", "Тульский областной кластер"),
    ("Корпорацией МСП", "Корпорация МСП"),
    ("Губернатору Тульской области", "Губернатор Тульской области"),
    ("межрегионального кластера климатических систем", "межрегиональный кластер климатических систем"),
    ("Агентству стратегических инициатив", "Агентство стратегических инициатив"),
    ("Дмитрия Миляева", "Дмитрий Миляев"),
    ("Алексеем Дюминым", "Алексей Дюмин"),
    ("Фонд развития промышленности", "Фонд развития промышленности"),  # already nominative
    ("«Композиты без границ»", "«Композиты без границ»"),  # quoted names stay
    ("ООО «Презент упаковка»", "ООО «Презент упаковка»"),
    ("JSC Arnest", "JSC Arnest"),
    ("Северо-Кавказского федерального университета", "Северо-Кавказский федеральный университет"),
    ("научно-образовательного центра", "научно-образовательный центр"),
    ("Тульского кластера «Композиты без границ»", "Тульский кластер «Композиты без границ»"),
    ("особой экономической зоны «Узловая»", "особая экономическая зона «Узловая»"),
    ("Губернатора Тульской области", "Губернатор Тульской области"),
    ("Администрации Алтайского края", "Администрация Алтайского края"),
    ("Управляющей компании кластера", "Управляющая компания кластера"),
    ("Тульским государственным университетом", "Тульский государственный университет"),
    ("ТУЛЬСКОГО КЛАСТЕРА", "ТУЛЬСКОГО КЛАСТЕРА"),  # shouting headline: left alone
])
def test_nominative_ru(oblique: str, nominative: str) -> None:
    assert nominative_ru(oblique) == nominative


@pytest.mark.parametrize(("ru", "lat"), [
    ("Арнест", "Arnest"),
    ("Презент упаковка", "Prezent upakovka"),
    ("Дмитрий Пронин", "Dmitry Pronin"),
    ("Щёкино", "Shchyokino"),
    ("Ханты-Мансийск", "Khanty-Mansiysk"),
    ("Юрий Гагарин", "Yury Gagarin"),
    ("Евгений Ковалев", "Yevgeny Kovalev"),
    ("Новомосковск", "Novomoskovsk"),
])
def test_transliterate_ru(ru: str, lat: str) -> None:
    assert transliterate_ru(ru) == lat


def test_latin_variants() -> None:
    v = latin_variants("Дмитрий Пронин")
    assert v[0] == "Dmitry Pronin"
    assert {"Dmitriy Pronin", "Dmitrij Pronin", "Dmitrii Pronin"} <= set(v)
    assert "Alexey Sagal" in latin_variants("Алексей Сагал")
    assert "Evgeny Kovalev" in latin_variants("Евгений Ковалев")
    assert latin_variants("Arnest") == ["Arnest"]
    assert "Shchekino" in latin_variants("Щёкино")


@pytest.mark.parametrize(("lat", "ru"), [
    ("Arnest", "Арнест"),
    ("Dmitry Pronin", "Дмитрий Пронин"),
    ("Alexey Sagal", "Алексей Сагал"),
    ("Prezent upakovka", "Презент упаковка"),
    ("Kovrov", "Ковров"),
    ("Shchekino", "Щекино"),
    ("Yevgeny", "Евгений"),
    ("JSC Arnest", "JSC Арнест"),  # abbreviations are not spelled out
    ("Aviaagregat", "Авиаагрегат"),  # "ia" inside a word is two letters
    ("Maria", "Мария"),
])
def test_cyrillic_variants(lat: str, ru: str) -> None:
    assert ru in cyrillic_variants(lat)


def test_round_trip_transliteration_links_scripts() -> None:
    for ru in ["Арнест", "Пронин", "Сагал", "Ковров", "Презент упаковка"]:
        assert ru in cyrillic_variants(transliterate_ru(ru))


def _reference_norm():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("reference_score", SCORER)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


NAMES = [
    "АО «Арнест»", "JSC Arnest", "ООО «Презент упаковка»", "Фонда развития промышленности Тульской области",
    "Ассоциации кластеров, технопарков и ОЭЗ России", "Karachai-Cherkess republic", "Щёкинский кластер",
    "NP Altai Polymer Composite Cluster", "ГК «Росатом»", "Dmitry Pronin", "(ФРП)", "ООО «Завод «Ресурс»»",
    "Ханты-Мансийский автономный округ — Югра", "Tula's industry: a cluster!", "",
]


@pytest.mark.skipif(not SCORER.exists(), reason="reference scorer not present")
@pytest.mark.parametrize("name", NAMES)
def test_norm_for_match_equals_reference_scorer(name: str) -> None:
    ref = _reference_norm()
    assert norm_for_match(name) == ref.norm(name)


@pytest.mark.skipif(not SCORER.exists(), reason="reference scorer not present")
def test_fuzzy_for_match_equals_reference_scorer() -> None:
    from loaders.normalize import fuzzy_for_match

    ref = _reference_norm()
    pairs = [("kaluga cluster", "kaluga"), ("arnest", "arnest jsc"), ("фонд развит", "фонд развит промышлен"),
             ("a b c d e", "a b c"), ("", "x")]
    for a, b in pairs:
        assert fuzzy_for_match(a, b) == ref.fuzzy(a, b)


def test_import_is_light() -> None:
    """Importing the module must not load the morphological dictionaries."""
    code = ("import sys, loaders.normalize, loaders.regions, loaders.organizations; "
            "print(json.dumps(['pymorphy3' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [False]


@pytest.mark.parametrize(("lat", "ru"), [
    ("Alexander Gusev", "Александр Гусев"),
    ("Igor Kobzev", "Игорь Кобзев"),
    ("Yevgeny Lyashenko", "Евгений Ляшенко"),
    ("Tatiana Golikova", "Татьяна Голикова"),
])
def test_cyrillic_person_takes_the_given_name_from_the_table(lat: str, ru: str) -> None:
    assert cyrillic_person(lat) == ru


def test_cyrillic_person_is_silent_when_unsure() -> None:
    assert cyrillic_person("Hans Gruber") is None  # not a Russian given name
    assert cyrillic_person("Gusev") is None  # no given name at all


@pytest.mark.parametrize("inflected", ["Владимира Владимирова", "Владимиру Владимирову", "Владимиром Владимировым"])
def test_surname_that_reads_as_a_plural_given_name_keeps_one_key(inflected: str) -> None:
    assert identity_key(inflected) == identity_key("Владимир Владимиров") == "владимир владимиров"
