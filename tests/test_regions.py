"""The regions gazetteer and resolver: every subject, every case, cities and people are not regions."""
from __future__ import annotations

import re

import pytest

from loaders.regions import RegionRecord, all_regions, get_resolver, region

VARIANTS = [
    # English: generic words in every spelling, case-insensitive, hyphens and dashes
    ("Tula region", "RU-TUL"),
    ("Tula Oblast", "RU-TUL"),
    ("Tula Province", "RU-TUL"),
    ("the Tula Region", "RU-TUL"),
    ("Kaluga Oblast", "RU-KLU"),
    ("Vladimir region", "RU-VLA"),
    ("Moscow Region", "RU-MOS"),
    ("Moscow", "RU-MOW"),
    ("Saint Petersburg", "RU-SPE"),
    ("St. Petersburg", "RU-SPE"),
    ("Leningrad Oblast", "RU-LEN"),
    ("Sevastopol", "UA-40"),
    ("Crimea", "UA-43"),
    ("Stavropol Krai", "RU-STA"),
    ("Stavropol Territory", "RU-STA"),
    ("Stavropol region", "RU-STA"),
    ("Stavropolye", "RU-STA"),
    ("Altai Krai", "RU-ALT"),
    ("Altai Republic", "RU-AL"),
    ("Altai region", "RU-ALT"),
    ("Krasnodar Kray", "RU-KDA"),
    ("Karachai-Cherkess republic", "RU-KC"),
    ("Karachay–Cherkess Republic", "RU-KC"),
    ("Karachay-Cherkessia", "RU-KC"),
    ("Republic of Bashkortostan", "RU-BA"),
    ("Bashkortostan", "RU-BA"),
    ("Bashkiria", "RU-BA"),
    ("Tatarstan", "RU-TA"),
    ("Republic of Tatarstan", "RU-TA"),
    ("Yakutia", "RU-SA"),
    ("Sakha (Yakutia) Republic", "RU-SA"),
    ("Chuvashia", "RU-CU"),
    ("Kuzbass", "RU-KEM"),
    ("Kemerovo Oblast – Kuzbass", "RU-KEM"),
    ("Yugra", "RU-KHM"),
    ("Khanty-Mansi Autonomous Okrug", "RU-KHM"),
    ("Yamalo-Nenets Autonomous District", "RU-YAN"),
    ("Jewish Autonomous Region", "RU-YEV"),
    ("Nizhny Novgorod region", "RU-NIZ"),
    ("Novgorod region", "RU-NGR"),
    ("Primorye", "RU-PRI"),
    # Russian: every case and number through lemmas
    ("Тульская область", "RU-TUL"),
    ("Тульской области", "RU-TUL"),
    ("Тульскую область", "RU-TUL"),
    ("в Тульской области", "RU-TUL"),
    ("Тульская обл.", "RU-TUL"),
    ("Тульщина", "RU-TUL"),
    ("тульский", "RU-TUL"),
    ("Самарской областей", "RU-SAM"),
    ("Калужскую область", "RU-KLU"),
    ("Владимирской области", "RU-VLA"),
    ("Ставропольского края", "RU-STA"),
    ("Ставропольском крае", "RU-STA"),
    ("Ставрополья", "RU-STA"),
    ("Алтайского края", "RU-ALT"),
    ("Республики Алтай", "RU-AL"),
    ("республики Башкортостан", "RU-BA"),
    ("Республикой Башкортостан", "RU-BA"),
    ("Башкирии", "RU-BA"),
    ("Карачаево-Черкесской Республики", "RU-KC"),
    ("Карачаево-Черкесии", "RU-KC"),
    ("КЧР", "RU-KC"),
    ("в Подмосковье", "RU-MOS"),
    ("Московской области", "RU-MOS"),
    ("Москвы", "RU-MOW"),
    ("Санкт-Петербурга", "RU-SPE"),
    ("Кузбассе", "RU-KEM"),
    ("Кемеровской области — Кузбасса", "RU-KEM"),
    ("Югры", "RU-KHM"),
    ("ХМАО", "RU-KHM"),
    ("Ханты-Мансийского автономного округа — Югры", "RU-KHM"),
    ("ЯНАО", "RU-YAN"),
    ("Прикамья", "RU-PER"),
    ("Кубани", "RU-KDA"),
    ("Республике Саха (Якутия)", "RU-SA"),
    ("Северной Осетии — Алании", "RU-SE"),
    ("Чувашской Республики", "RU-CU"),
    ("Еврейской автономной области", "RU-YEV"),
    ("Крыму", "UA-43"),
    ("Донецкой Народной Республики", "UA-14"),
    ("Запорожской области", "UA-23"),
    ("Нижегородской области", "RU-NIZ"),
    ("Тульский регион", "RU-TUL"),
    ("Ненецкий АО", "RU-NEN"),
    ("Ямало-Ненецкого АО", "RU-YAN"),
    ("Khanty-Mansi AO", "RU-KHM"),
    ("Читинской области", "RU-ZAB"),  # the former name
    ("Perm Oblast", "RU-PER"),  # a krai since 2005; the generic word need not be the current one
    # not regions: cities, people, several regions at once, unrelated words
    ("Tula", None),
    ("Kaluga", None),
    ("Kovrov", None),
    ("Omsk", None),
    ("Vladimir", None),
    ("Vladimir Putin", None),
    ("Тула", None),
    ("в Туле", None),
    ("Калуга", None),
    ("Владимир", None),
    ("Владимира Путина", None),
    ("Altai", None),
    ("Tula and Kaluga regions", None),
    ("тульского кластера", None),
    ("тульское АО «Арнест»", None),  # АО is the legal form here
    ("Central Federal District", None),
    ("", None),
]


@pytest.mark.parametrize(("mention", "iso"), VARIANTS)
def test_variant_resolves(mention: str, iso: str | None) -> None:
    assert get_resolver().resolve(mention) == iso


def test_gazetteer_shape() -> None:
    regs = all_regions()
    assert len(regs) == 89
    isos = [r.iso for r in regs]
    assert len(set(isos)) == len(isos)
    assert all(re.fullmatch(r"(RU|UA)-[A-Z0-9]{2,3}", i) for i in isos)
    assert {r.iso for r in regs if r.disputed} == {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}
    types = {r.type for r in regs}
    assert types == {"oblast", "krai", "republic", "autonomous_okrug", "autonomous_oblast", "federal_city"}
    assert sum(r.type == "oblast" for r in regs) == 48
    assert sum(r.type == "republic" for r in regs) == 24
    assert sum(r.type == "krai" for r in regs) == 9
    assert all(r.federal_district.endswith("Federal District") for r in regs)
    assert len({r.federal_district for r in regs}) == 8
    tula = region("ru-tul")
    assert isinstance(tula, RegionRecord)
    assert (tula.name, tula.name_ru, tula.adjective_ru) == ("Tula Oblast", "Тульская область", "тульский")


def test_no_variant_names_two_regions() -> None:
    """A variant listed for one region must not resolve to another."""
    res = get_resolver()
    for r in all_regions():
        for v in r.variants:
            got = res.resolve(v)
            assert got == r.iso, (v, r.iso, got)


def _genitive(phrase: str) -> str:
    """The genitive of a nominative Russian name, produced with pymorphy3 (independently of
    the resolver): every word in the nominative goes to the genitive, keeping its number."""
    from pymorphy3 import MorphAnalyzer

    morph = _genitive.morph = getattr(_genitive, "morph", None) or MorphAnalyzer()

    def word(w: str) -> str:
        if "-" in w:
            head, _, last = w.rpartition("-")
            return f"{head}-{word(last)}"
        if w.isupper():
            return w
        p = next((p for p in morph.parse(w) if p.tag.case == "nomn"), None)
        f = p.inflect({"gent"}) if p else None
        if not f:
            return w
        out = f.word
        return out[:1].upper() + out[1:] if w[:1].isupper() else out

    return re.sub(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*", lambda m: word(m.group()), phrase)


@pytest.mark.parametrize("rec", all_regions(), ids=lambda r: r.iso)
def test_every_subject_by_own_names(rec: RegionRecord) -> None:
    res = get_resolver()
    assert res.resolve(rec.name) == rec.iso
    assert res.resolve(rec.name_ru) == rec.iso
    gen = _genitive(rec.name_ru)
    if rec.type != "federal_city":
        assert gen != rec.name_ru  # the test really inflected something
    assert res.resolve(gen) == rec.iso, gen


def test_genitive_helper_is_real() -> None:
    assert _genitive("Тульская область") == "Тульской области"
    assert _genitive("Ставропольский край") == "Ставропольского края"


def _found(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(m.surface, m.iso, m.via) for m in get_resolver().find(text, lang)]


def test_find_coordinated_russian() -> None:
    text = "предприятия Тульской, Калужской и Самарской областей"
    ms = get_resolver().find(text, "ru")
    assert [m.iso for m in ms] == ["RU-TUL", "RU-KLU", "RU-SAM"]
    assert all(m.via == "name" for m in ms)
    assert [text[m.start:m.end] for m in ms] == [m.surface for m in ms]
    assert ms[2].surface == "Самарской областей"


def test_find_coordinated_english() -> None:
    assert [i for _, i, _ in _found("Stavropol, Krasnodar and Altai krais", "en")] == ["RU-STA", "RU-KDA", "RU-ALT"]
    assert [i for _, i, _ in _found("companies from the Kaluga and Tula regions", "en")] == ["RU-KLU", "RU-TUL"]
    assert _found("the Kaluga Region", "en") == [("Kaluga Region", "RU-KLU", "name")]


def test_find_singular_generic_does_not_spread_in_english() -> None:
    # "Moscow and Tula region": the city of Moscow and one region, not Moscow Oblast
    assert [i for _, i, _ in _found("Moscow and Tula region", "en")] == ["RU-MOW", "RU-TUL"]
    assert [i for _, i, _ in _found("Москвы и Московской области", "ru")] == ["RU-MOW", "RU-MOS"]


def test_find_adjective_is_marked() -> None:
    assert _found("участники тульского кластера", "ru") == [("тульского", "RU-TUL", "adjective")]
    assert _found("тульские предприятия и Тульская область", "ru") == [
        ("тульские", "RU-TUL", "adjective"), ("Тульская область", "RU-TUL", "name")]


def test_find_ignores_cities_and_people() -> None:
    assert _found("Завод открылся в Туле, а губернатор Владимир Иванов приехал из Калуги.", "ru") == []
    assert _found("The plant in Tula and a site in Kovrov; Vladimir Ivanov said.", "en") == []


def test_find_prefix_generic_and_merged_names() -> None:
    assert _found("в Республике Башкортостан", "ru") == [("Республике Башкортостан", "RU-BA", "name")]
    assert _found("the Republic of Tatarstan and Bashkiria", "en") == [
        ("Republic of Tatarstan", "RU-TA", "name"), ("Bashkiria", "RU-BA", "name")]
    assert _found("в Ханты-Мансийском автономном округе — Югре", "ru") == [
        ("Ханты-Мансийском автономном округе — Югре", "RU-KHM", "name")]
    assert _found("Республика Саха (Якутия) и Хакасия", "ru") == [
        ("Республика Саха (Якутия)", "RU-SA", "name"), ("Хакасия", "RU-KK", "name")]


def test_resolver_is_a_singleton() -> None:
    assert get_resolver() is get_resolver()
    assert all_regions() is all_regions()


def test_find_lists_after_a_plural_generic() -> None:
    assert [i for _, i, _ in _found("the regions of Tula, Kaluga and Samara", "en")] == ["RU-TUL", "RU-KLU", "RU-SAM"]
    assert [i for _, i, _ in _found("the Republic of Karelia and Kaluga", "en")] == ["RU-KR"]


def test_find_regional_adjectives_after_a_name() -> None:
    assert _found("the Tula regional government", "en") == [("Tula regional", "RU-TUL", "name")]
    assert _found("депутаты Тульской областной Думы", "ru") == [("Тульской областной", "RU-TUL", "name")]
    assert _found("областной центр Тула", "ru") == []


def test_prefix_list_stops_at_a_name_with_its_own_generic() -> None:
    assert _found("Республика Татарстан и Пермский край", "ru") == [
        ("Республика Татарстан", "RU-TA", "name"), ("Пермский край", "RU-PER", "name")]


@pytest.mark.parametrize(("city", "iso"), [
    ("Tula", "RU-TUL"), ("в Туле", "RU-TUL"), ("Калуги", "RU-KLU"), ("Ростове-на-Дону", "RU-ROS"),
    ("Rostov-on-Don", "RU-ROS"), ("Нижнем Новгороде", "RU-NIZ"), ("Yekaterinburg", "RU-SVE"),
    ("Екатеринбурге", "RU-SVE"), ("Kazan", "RU-TA"), ("Петропавловска-Камчатского", "RU-KAM"),
    ("Орле", "RU-ORL"), ("Москве", "RU-MOW"), ("Kovrov", None), ("Тольятти", None), ("Bashkiria", None),
])
def test_city_region(city: str, iso: str | None) -> None:
    assert get_resolver().city_region(city) == iso


def test_every_capital_gives_its_region() -> None:
    res = get_resolver()
    with_capital = [r for r in all_regions() if r.capital_ru]
    assert len(with_capital) == 85
    for r in with_capital:
        assert res.city_region(r.capital_en) == r.iso
        assert res.city_region(r.capital_ru) == r.iso


@pytest.mark.parametrize(("mention", "iso"), [
    ("Tula", "RU-TUL"), ("Калуга", "RU-KLU"), ("Stavropol", "RU-STA"), ("Perm", "RU-PER"),
    ("Tula region", "RU-TUL"), ("Bashkiria", "RU-BA"), ("Altai", None), ("Kovrov", None),
])
def test_resolve_bare_stems_for_search_boxes(mention: str, iso: str | None) -> None:
    assert get_resolver().resolve(mention, bare_stems=True) == iso


@pytest.mark.parametrize(("text", "iso"), [
    ("Кузбасский технопарк открыл новый корпус", "RU-KEM"),
    ("кубанские аграрии заключили договор", "RU-KDA"),
])
def test_other_regional_adjectives(text: str, iso: str) -> None:
    matches = get_resolver().find(text, "ru")
    assert [(m.iso, m.via) for m in matches] == [(iso, "adjective")]
