"""The national organisations gazetteer: lookups in both languages and every case, and negatives."""
from __future__ import annotations

import pytest

from loaders.organizations import OrgRecord, all_organizations, find, lookup


@pytest.mark.parametrize(("name", "org_id"), [
    # English
    ("Ministry of Industry and Trade of Russia", "minpromtorg"),
    ("Ministry of Industry and Trade of the Russian Federation", "minpromtorg"),
    ("the Russian Ministry of Industry and Trade", "minpromtorg"),
    ("Russia's Industry and Trade Ministry", "minpromtorg"),
    ("Minpromtorg", "minpromtorg"),
    ("Ministry of Economic Development", "mineconomy"),
    ("Finance Ministry", "minfin"),
    ("Government of the Russian Federation", "gov-rf"),
    ("Russian Government", "gov-rf"),
    ("Federal Road Agency", "rosavtodor"),
    ("Rosavtodor", "rosavtodor"),
    ("Federal Road Transport Agency", "rosavtodor"),
    ("SME Corporation", "msp-corp"),
    ("Federal Corporation for the Development of Small and Medium-sized Enterprises", "msp-corp"),
    ("Industrial Development Fund", "frp"),
    ("Association of Clusters, Technoparks and SEZS of Russia", "akit"),
    ("Association of Clusters, Technoparks and SEZ of Russia", "akit"),
    ("Rostec", "rostec"),
    ("Rosatom State Corporation", "rosatom"),
    ("VEB.RF", "veb"),
    ("RDIF", "rdif"),
    ("Skolkovo Foundation", "skolkovo"),
    ("Russian Export Center", "rec"),
    ("Agency for Strategic Initiatives", "asi"),
    ("Russian Railways", "rzd"),
    ("Sberbank", "sberbank"),
    # Russian, in several cases
    ("Минпромторг России", "minpromtorg"),
    ("Минпромторгом России", "minpromtorg"),
    ("Минпромторга РФ", "minpromtorg"),
    ("Министерства промышленности и торговли Российской Федерации", "minpromtorg"),
    ("Министерством экономического развития России", "mineconomy"),
    ("Минфину", "minfin"),
    ("Правительством РФ", "gov-rf"),
    ("Правительства Российской Федерации", "gov-rf"),
    ("Росавтодора", "rosavtodor"),
    ("Федерального дорожного агентства", "rosavtodor"),
    ("Корпорации МСП", "msp-corp"),
    ("Фонда развития промышленности", "frp"),
    ("ФРП", "frp"),
    ("Ассоциации кластеров, технопарков и ОЭЗ России", "akit"),
    ("АКИТ РФ", "akit"),
    ("Ростеха", "rostec"),
    ("Ростехом", "rostec"),
    ("Госкорпорации «Росатом»", "rosatom"),
    ("Роскосмосу", "roscosmos"),
    ("ВЭБ.РФ", "veb"),
    ("Российского фонда прямых инвестиций", "rdif"),
    ("Российским экспортным центром", "rec"),
    ("Агентства стратегических инициатив", "asi"),
    ("Росстандарта", "rosstandart"),
    ("Минобрнауки России", "minobrnauki"),
    ("Министерства просвещения", "minprosvet"),
    ("ОАО «РЖД»", "rzd"),
    ("Газпрома", "gazprom"),
    ("ПАО «Газпром»", "gazprom"),
    ("Роснефти", "rosneft"),
    ("Сбербанком", "sberbank"),
    ("Торгово-промышленной палаты России", "tpp"),
])
def test_lookup(name: str, org_id: str) -> None:
    r = lookup(name)
    assert r is not None, name
    assert r.id == org_id


@pytest.mark.parametrize("name", [
    "Фонд развития промышленности Тульской области",  # the regional namesake
    "Министерство промышленности и торговли Тульской области",
    "Правительство Тульской области",
    "Правительство",  # which one?
    "мэр",  # not the ministry abbreviation МЭР
    "Tula",
    "Arnest",
    "Кластер",
    "Ministry",
    "",
])
def test_lookup_negative(name: str) -> None:
    assert lookup(name) is None


def test_records() -> None:
    orgs = all_organizations()
    assert len(orgs) >= 50
    assert len({o.id for o in orgs}) == len(orgs)
    assert {o.label for o in orgs} == {"Institution", "Enterprise"}
    kinds = {"university", "college", "ministry", "government", "fund", "association", "sez", "technopark",
             "corporation", "other"}
    assert all(o.kind in kinds for o in orgs if o.label == "Institution")
    m = lookup("Минпромторг")
    assert isinstance(m, OrgRecord)
    assert (m.label, m.kind, m.name_ru) == ("Institution", "ministry",
                                            "Министерство промышленности и торговли Российской Федерации")


def test_no_variant_names_two_organisations() -> None:
    for o in all_organizations():
        for v in o.variants:
            assert lookup(v) == o, v


def _ids(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.surface, m.record.id) for m in find(text, lang)]


def test_find_russian() -> None:
    text = ("Соглашение подписали Минпромторг России, Фонд развития промышленности Тульской области "
            "и Корпорация МСП при участии Ассоциации кластеров, технопарков и ОЭЗ России.")
    assert _ids(text, "ru") == [("Минпромторг России", "minpromtorg"), ("Корпорация МСП", "msp-corp"),
                                ("Ассоциации кластеров, технопарков и ОЭЗ России", "akit")]
    for m in find(text, "ru"):
        assert text[m.start:m.end] == m.surface


def test_find_english() -> None:
    text = ("The Tula Region Industrial Development Fund and the federal Industrial Development Fund, "
            "together with Russia's Ministry of Industry and Trade and Rostec, backed the cluster.")
    assert _ids(text, "en") == [("federal Industrial Development Fund", "frp"),
                                ("Russia's Ministry of Industry and Trade", "minpromtorg"), ("Rostec", "rostec")]


def test_find_skips_regional_bodies() -> None:
    assert _ids("региональный Фонд развития промышленности выдал заём", "ru") == []
    assert _ids("Министерство промышленности и торговли Тульской области", "ru") == []
    assert _ids("the Ministry of Industry and Trade of the Tula Region", "en") == []
    assert _ids("мэр города встретился с предпринимателями", "ru") == []
    assert _ids("представители министерства промышленности и торговли региона", "ru") == []
    assert _ids("the Ministry of Industry and Trade of the region", "en") == []
    assert _ids("the Ministry of Finance of Belarus", "en") == []
    assert _ids("the Ministry of Finance of Russia", "en") == [("Ministry of Finance of Russia", "minfin")]
    assert _ids("Минпромторг России и правительство региона", "ru") == [("Минпромторг России", "minpromtorg")]


@pytest.mark.parametrize(("name", "org_id", "iso"), [
    ("Kaluga SEZ", "sez-kaluga", "RU-KLU"),
    ("Kaluga special economic zone", "sez-kaluga", "RU-KLU"),
    ("ОЭЗ «Калуга»", "sez-kaluga", "RU-KLU"),
    ("особой экономической зоны «Узловая»", "sez-uzlovaya", "RU-TUL"),
    ("ОЭЗ ППТ «Липецк»", "sez-lipetsk", "RU-LIP"),
    ("SEZ Alabuga", "sez-alabuga", "RU-TA"),
    ("технопарка «Академпарк»", "tp-akadempark", "RU-NVS"),
    ("Bauman Moscow State Technical University", "bmstu", "RU-MOW"),
])
def test_place_bound_organisations_carry_their_region(name: str, org_id: str, iso: str) -> None:
    r = lookup(name)
    assert r is not None and (r.id, r.region) == (org_id, iso)


def test_a_city_is_not_its_sez() -> None:
    assert lookup("Калуга") is None
    assert lookup("Kaluga") is None
    assert _ids("Завод построят в Калуге, в ОЭЗ «Калуга».", "ru") == [("ОЭЗ «Калуга»", "sez-kaluga")]


def test_find_does_not_run_across_brackets_and_ignores_legal_forms() -> None:
    assert _ids("a loan from the Industrial Development Fund (IDF) of Russia.", "en") == [
        ("Industrial Development Fund", "frp"), ("IDF", "frp")]
    assert _ids("ПАО «Газпром нефть» и ПАО «Газпром»", "ru") == [
        ("Газпром нефть", "gazpromneft"), ("Газпром", "gazprom")]
    assert _ids("Russian Railways (RZD)", "en") == [("Russian Railways", "rzd"), ("RZD", "rzd")]


def test_aliases_are_the_listed_names_only() -> None:
    m = lookup("Минпромторг")
    assert m is not None
    assert m.aliases[:2] == (m.name, m.name_ru)
    assert "Minpromtorg" in m.aliases and "Минпромторг России" in m.aliases
    assert "Russian Minpromtorg" not in m.aliases  # generated national forms stay out
    assert "Russian Minpromtorg" in m.variants


def test_find_skips_a_regional_namesake_named_by_a_city_word() -> None:
    # a place word before the federal name makes a longer, regional name; a national word does not
    assert _ids("The Penza Industrial Development Fund approved two loans.", "en") == []
    assert _ids("The National Industrial Development Fund approved two loans.", "en") == [
        ("Industrial Development Fund", "frp")
    ]


def test_find_does_not_match_inside_a_hyphenated_name() -> None:
    assert _ids("Rostec-Service and Rosatom-Engineering opened offices.", "en") == []
    assert _ids("Контракт получила компания Ростех-Сервис.", "ru") == []
    assert _ids("Rostec-based suppliers and Rostec itself", "en") == [("Rostec", "rostec"), ("Rostec", "rostec")]
