"""Russian extraction: one sentence per pattern for every relation type, negatives, lists, normal forms.

The sentences are written for these tests (not taken from the seeds). Each test names the fact the
sentence states and checks it by entity names, so it fails when a rule stops matching or misfires.
"""
from __future__ import annotations

import pytest

from loaders.document import Paragraph
from loaders.exchange import Exchange
from loaders.extract.russian import extract, ner_only


def run(*paragraphs: str) -> Exchange:
    return extract("t.txt", [Paragraph(p, "ru") for p in paragraphs])


def names(ex: Exchange, label: str) -> set[str]:
    return {e.name for e in ex.entities if e.label == label}


def entity(ex: Exchange, label: str, name: str):
    found = [e for e in ex.entities if e.label == label and e.name == name]
    assert found, f"no {label} {name!r} in {sorted((e.label, e.name) for e in ex.entities)}"
    return found[0]


def rels(ex: Exchange, type_: str) -> set[tuple[str, str]]:
    by_key = {e.key: e for e in ex.entities}

    def show(key: str) -> str:
        e = by_key[key]
        return e.props.get("iso") or e.name if e.label == "Region" else e.name

    return {(show(r.from_), show(r.to)) for r in ex.relations if r.type == type_}


# ---- relations, one pattern each ---------------------------------------------------------------------------

def test_anchors_from_anchor_enterprise_sentence() -> None:
    ex = run("В Пензенской области создают кластер «Сурская керамика»",
             "Якорным предприятием кластера станет АО «Пензаплитка».")
    assert rels(ex, "ANCHORS") == {("Пензаплитка", "Сурская керамика")}
    assert entity(ex, "Enterprise", "Пензаплитка").props["legalForm"] == "JSC"


def test_anchors_base_enterprise_and_evidence_is_the_sentence() -> None:
    sentence = "Базовым предприятием кластера выступит ПАО «Ивановский текстиль»."
    ex = run("Кластер «Ивановский лён» получил поддержку", sentence)
    rel = next(r for r in ex.relations if r.type == "ANCHORS")
    assert rel.evidence[0].text == sentence
    assert rel.evidence[0].doc == "t.txt"


def test_member_of_participants_list_expands() -> None:
    ex = run("Кластер «Северная верфь» расширяется",
             "Участниками кластера стали ООО «Морские системы», АО «Балтийский трос» и ООО «Якорь».")
    assert rels(ex, "MEMBER_OF") == {("Морские системы", "Северная верфь"), ("Балтийский трос", "Северная верфь"),
                                     ("Якорь", "Северная верфь")}


def test_member_of_joined_the_cluster() -> None:
    ex = run("Кластер «Волжские композиты» принял новых участников",
             "ООО «Стеклонит» вступило в кластер в прошлом месяце.")
    assert ("Стеклонит", "Волжские композиты") in rels(ex, "MEMBER_OF")


def test_mentioned_enterprise_is_not_a_member() -> None:
    ex = run("Кластер «Волжские композиты» подвёл итоги года",
             "Директор ООО «Стеклонит» Олег Смирнов рассказал о новых заказах.")
    assert "Стеклонит" in names(ex, "Enterprise")
    assert rels(ex, "MEMBER_OF") == set()
    assert rels(ex, "ANCHORS") == set()


def test_located_in_from_members_regions_list() -> None:
    ex = run("Кластер «Химия Поволжья» создаётся в Самаре",
             "В состав кластера войдут предприятия Самарской, Ульяновской и Пензенской областей, "
             "Республики Мордовия и Чувашской Республики.")
    assert rels(ex, "LOCATED_IN") == {("Химия Поволжья", iso) for iso in
                                      ("RU-SAM", "RU-ULY", "RU-PNZ", "RU-MO", "RU-CU")}


def test_located_in_from_region_adjective_before_cluster() -> None:
    ex = run("Проект ярославского кластера «Двигатели будущего» одобрен")
    assert rels(ex, "LOCATED_IN") == {("Двигатели будущего", "RU-YAR")}


def test_located_in_clusters_acting_in_region() -> None:
    ex = run("В Новосибирской области работают кластеры «Сибирский биотех» и «Наукоград-Кольцово».")
    assert rels(ex, "LOCATED_IN") == {("Сибирский биотех", "RU-NVS"), ("Наукоград-Кольцово", "RU-NVS")}


def test_located_in_institution_named_after_its_region() -> None:
    ex = run("Заявку поддержал Фонд развития промышленности Челябинской области.")
    assert entity(ex, "Institution", "Фонд развития промышленности Челябинской области").props["kind"] == "fund"
    assert ("Фонд развития промышленности Челябинской области", "RU-CHE") in rels(ex, "LOCATED_IN")


def test_coordinates_specialised_organisation_resolves_the_pronoun() -> None:
    ex = run("В Курской области создаётся кластер «Курская электроника»",
             "Его специализированной организацией станет Центр кластерного развития Курской области.")
    assert rels(ex, "COORDINATES") == {("Центр кластерного развития Курской области", "Курская электроника")}


def test_coordinates_management_company() -> None:
    ex = run("Кластер «Уральский металл» выходит на новые рынки",
             "Управляющей компанией кластера является АНО «Агентство кластерного развития».")
    assert ("Агентство кластерного развития", "Уральский металл") in rels(ex, "COORDINATES")


def test_holds_post_governor_of_region() -> None:
    ex = run("Губернатор Курской области Роман Старовойт посетил завод.")
    assert rels(ex, "HOLDS_POST") == {("Роман Старовойт", "RU-KRS")}
    rel = next(r for r in ex.relations if r.type == "HOLDS_POST")
    assert rel.props["title"] == "Governor"


def test_holds_post_deputy_minister_of_the_regions_ministry() -> None:
    ex = run("Проект обсудили в министерстве экономического развития Омской области.",
             "По словам заместителя министра экономического развития региона Игоря Котова, кластер готов к запуску.")
    assert rels(ex, "HOLDS_POST") == {("Игорь Котов", "Министерство экономического развития Омской области")}
    holds = [r for r in ex.relations if r.type == "HOLDS_POST"]
    assert holds[0].props["title"] == "Deputy Minister"


def test_holds_post_written_after_the_name() -> None:
    ex = run("Ольга Берг, генеральный директор ООО «Полимер-Пласт», открыла новую линию.")
    assert rels(ex, "HOLDS_POST") == {("Ольга Берг", "Полимер-Пласт")}


def test_agreement_signed_party_concerns() -> None:
    ex = run("Кластер «Белгородская биотехнология» получит поддержку",
             "Правительство Белгородской области и ПАО «Агроресурс» подписали соглашение о развитии кластера.",
             "Соглашение подписали губернатор Белгородской области Вячеслав Гладков и "
             "генеральный директор ПАО «Агроресурс» Николай Лисин.")
    assert len(names(ex, "Agreement")) == 1
    agr = next(iter(names(ex, "Agreement")))
    assert agr.startswith("Соглашение о развитии")
    assert {"Правительство Белгородской области", "Агроресурс"} <= {a for a, _ in rels(ex, "PARTY_TO")}
    assert rels(ex, "CONCERNS") == {(agr, "Белгородская биотехнология")}
    assert rels(ex, "SIGNED") == {("Вячеслав Гладков", agr), ("Николай Лисин", agr)}


# ---- negatives -----------------------------------------------------------------------------------------

def test_city_named_like_region_is_not_a_region() -> None:
    ex = run("В Туле и в Калуге прошли выставки станков.")
    assert names(ex, "Region") == set()


def test_tula_the_city_vs_tula_oblast() -> None:
    ex = run("Завод в Туле построит компания из Тульской области.")
    assert {e.props["iso"] for e in ex.entities if e.label == "Region"} == {"RU-TUL"}
    assert len([e for e in ex.entities if e.label == "Region"]) == 1


def test_person_named_vladimir_is_an_official_not_a_region() -> None:
    ex = run("Министр промышленности Владимирской области Владимир Кузнецов открыл форум.")
    assert "Владимир Кузнецов" in names(ex, "Official")
    assert {e.props["iso"] for e in ex.entities if e.label == "Region"} == {"RU-VLA"}


def test_programme_in_quotes_is_not_an_organisation() -> None:
    ex = run("Команда прошла обучение по программе «Кластерный рывок».")
    assert names(ex, "Enterprise") == set() and names(ex, "Cluster") == set()


def test_cluster_word_alone_is_a_reference_not_a_cluster() -> None:
    ex = run("Кластер «Смоленские окна» растёт", "Создаваемого кластера ждут в регионе.")
    assert names(ex, "Cluster") == {"Смоленские окна"}


# ---- normalisation ------------------------------------------------------------------------------------

def test_names_go_to_the_nominative() -> None:
    ex = run("Встреча прошла с участием Министерства цифрового развития Тверской области и Группы Агроплюс.",
             "Поддержку оказала Ассоциация кластеров, технопарков и ОЭЗ России.")
    assert "Министерство цифрового развития Тверской области" in names(ex, "Institution")
    assert "Ассоциация кластеров, технопарков и ОЭЗ России" in names(ex, "Institution")
    assert "Группа Агроплюс" in names(ex, "Enterprise")


def test_person_name_nominative_transliterated_post_after_name() -> None:
    ex = run("Отчёт представили вместе с Сергеем Ивановым, директором ООО «Текстиль».")
    assert "Сергей Иванов" in names(ex, "Official")
    ivanov = entity(ex, "Official", "Сергей Иванов")
    assert any(a.startswith("Serge") and a.endswith("Ivanov") for a in ivanov.aliases)
    assert rels(ex, "HOLDS_POST") == {("Сергей Иванов", "Текстиль")}


def test_legal_forms_split_off() -> None:
    ex = run("Контракты получили ООО «Вектор», ПАО «Прогресс», ЗАО «Сигма» и АО «Арсенал».")
    forms = {e.name: e.props.get("legalForm") for e in ex.entities if e.label == "Enterprise"}
    assert forms == {"Вектор": "LLC", "Прогресс": "PJSC", "Сигма": "CJSC", "Арсенал": "JSC"}


def test_regional_reference_is_the_same_entity_as_the_full_name() -> None:
    ex = run("Заявку подготовил региональный Фонд развития промышленности.",
             "Средства выделит Фонд развития промышленности Липецкой области.")
    funds = [e for e in ex.entities if e.label == "Institution" and e.props.get("kind") == "fund"]
    assert len(funds) == 1 and funds[0].name == "Фонд развития промышленности Липецкой области"


def test_quoted_cluster_list_and_described_cluster() -> None:
    ex = run("В регионе действуют кластеры «Алмазная грань», «Северный лес» и «Якутский камень».",
             "Также планируется создание кластера средств связи.")
    assert {"Алмазная грань", "Северный лес", "Якутский камень", "кластер средств связи"} <= names(ex, "Cluster")


def test_company_group_and_latin_brand() -> None:
    ex = run("Якорным резидентом кластера «Мебель Прикамья» станет ООО «Лесдрев» (группа компаний WOOD LINE).")
    assert {"Лесдрев", "WOOD LINE"} <= names(ex, "Enterprise")
    assert rels(ex, "ANCHORS") == {("Лесдрев", "Мебель Прикамья")}


def test_ner_only_counts_spans() -> None:
    assert ner_only([Paragraph("Губернатор Тульской области Алексей Дюмин посетил Москву.", "ru")]) >= 2


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_paragraphs(text: str) -> None:
    assert run(text).entities == []


def test_enterprise_located_by_region_adjective_and_parentheses() -> None:
    ex = run("Рязанское предприятие ООО «Окаметалл» и АО «Приборист» (Курганская область) расширили выпуск.")
    assert rels(ex, "LOCATED_IN") == {("Окаметалл", "RU-RYA"), ("Приборист", "RU-KGN")}


def test_head_of_region_and_lone_surname_reference() -> None:
    ex = run("Губернатор Липецкой области открыл цех.",
             "Глава региона Игорь Артамонов отметил рост заказов. Артамонов также посетил колледж.",
             "Студенты университета имени Н. Э. Баумана приехали на практику.")
    assert names(ex, "Official") == {"Игорь Артамонов"}
    assert rels(ex, "HOLDS_POST") == {("Игорь Артамонов", "RU-LIP")}


def test_unnamed_regional_bodies_take_the_documents_region() -> None:
    ex = run("В Брянской области создаётся кластер «Брянское машиностроение»",
             "Правительство региона одобрило проект, а региональный фонд развития промышленности выделит заём.")
    inst = names(ex, "Institution")
    assert {"Правительство Брянской области", "Фонд развития промышленности Брянской области"} <= inst
    assert ("Правительство Брянской области", "RU-BRY") in rels(ex, "LOCATED_IN")


def test_members_after_quoted_cluster_and_two_institutions_in_a_list() -> None:
    ex = run("Кластер «Томские приборы», объединяющий предприятия Томской и Новосибирской областей, расширился.",
             "В число участников кластера входят Томский политехнический университет и "
             "Томский областной радиотехнический колледж.")
    assert {("Томские приборы", "RU-TOM"), ("Томские приборы", "RU-NVS")} <= rels(ex, "LOCATED_IN")
    assert rels(ex, "MEMBER_OF") == {("Томский политехнический университет", "Томские приборы"),
                                     ("Томский областной радиотехнический колледж", "Томские приборы")}


def test_anchor_and_members_in_one_sentence_and_described_cluster_with_po() -> None:
    ex = run("В Мурманской области создадут кластер по производству рыбной продукции",
             "Якорным предприятием кластера станет ООО «Мурманрыба», а участниками — АО «Севтрал» и ООО «Лов».")
    cluster = "кластер по производству рыбной продукции"
    assert cluster in names(ex, "Cluster")
    assert rels(ex, "ANCHORS") == {("Мурманрыба", cluster)}
    assert rels(ex, "MEMBER_OF") == {("Севтрал", cluster), ("Лов", cluster)}
    assert rels(ex, "LOCATED_IN") == {(cluster, "RU-MUR")}


def test_agreement_concluded_between_parties_and_post_after_dash() -> None:
    ex = run("Между Правительством Омской области и АО «Омскшина» заключено соглашение о сотрудничестве.",
             "Виталий Хоценко — губернатор Омской области — отметил важность документа.")
    assert names(ex, "Agreement") == {"Соглашение о сотрудничестве"}
    assert {"Правительство Омской области", "Омскшина"} <= {a for a, _ in rels(ex, "PARTY_TO")}
    assert rels(ex, "HOLDS_POST") == {("Виталий Хоценко", "RU-OMS")}


def test_supporting_ministry_is_not_a_member_and_cluster_director() -> None:
    ex = run("Кластер «Орловские станки» расширяется",
             "В состав кластера, созданного при поддержке Минпромторга России, вошли ООО «Орелмаш» и "
             "Орловский государственный университет.",
             "Директор кластера Ольга Белова рассказала о планах.")
    assert rels(ex, "MEMBER_OF") == {("Орелмаш", "Орловские станки"),
                                     ("Орловский государственный университет", "Орловские станки")}
    assert rels(ex, "HOLDS_POST") == {("Ольга Белова", "Орловские станки")}


def test_news_agencies_are_not_companies_and_bracketed_abbreviation_is_an_alias() -> None:
    ex = run("Власти Чувашии и Ассоциация производителей электротехники («АПЭЛ») подписали соглашение, "
             "передает ТАСС.", "Об этом сообщил РБК.")
    assert names(ex, "Enterprise") == set()
    assoc = entity(ex, "Institution", "Ассоциация производителей электротехники")
    assert "АПЭЛ" in assoc.aliases
    assert ("Ассоциация производителей электротехники", next(iter(names(ex, "Agreement")))) in rels(ex, "PARTY_TO")


def test_one_agreement_named_twice_and_signed_as_the_document() -> None:
    ex = run("Губернаторы подписали трёхстороннее соглашение о создании кластера «Волжская химия»",
             "Документ подписали губернатор Самарской области Вячеслав Федорищев и глава Республики Марий Эл "
             "Юрий Зайцев.",
             "Соглашение о создании кластера «Волжская химия» заключено на пять лет.")
    assert len(names(ex, "Agreement")) == 1
    agr = next(iter(names(ex, "Agreement")))
    assert rels(ex, "SIGNED") == {("Вячеслав Федорищев", agr), ("Юрий Зайцев", agr)}
    assert rels(ex, "CONCERNS") == {(agr, "Волжская химия")}
    assert {("RU-SAM", agr), ("RU-ME", agr)} <= rels(ex, "PARTY_TO")


def test_unknown_given_name_keeps_the_written_nominative() -> None:
    ex = run("Глава Республики Ингушетия Махмуд-Али Калиматов посетил завод.")
    assert names(ex, "Official") == {"Махмуд-Али Калиматов"}
    assert rels(ex, "HOLDS_POST") == {("Махмуд-Али Калиматов", "RU-IN")}


def test_region_inside_a_quoted_cluster_name_and_cluster_between_parties() -> None:
    ex = run("Между Правительством Пензенской области и Ассоциацией «Приборостроительный кластер Пензенской "
             "области» подписано соглашение.")
    cluster = "Приборостроительный кластер Пензенской области"
    assert cluster in names(ex, "Cluster")
    assert (cluster, "RU-PNZ") in rels(ex, "LOCATED_IN")
    assert (cluster, "Соглашение") in rels(ex, "PARTY_TO")


def test_two_descriptions_of_one_cluster_and_region_after_a_town() -> None:
    ex = run("Под Калугой создадут кластер по выпуску электроники",
             "Производственный кластер по выпуску электронных компонентов создаётся в городе Обнинск "
             "Калужской области.")
    clusters = names(ex, "Cluster")
    assert len(clusters) == 1
    assert rels(ex, "LOCATED_IN") == {(next(iter(clusters)), "RU-KLU")}


def test_patronymic_dropped_from_the_name_kept_as_alias() -> None:
    ex = run("Губернатор Курганской области Вадим Михайлович Шумков открыл завод. Шумков отметил рост.")
    shumkov = entity(ex, "Official", "Вадим Шумков")
    assert "Вадим Михайлович Шумков" in shumkov.aliases
    assert len(names(ex, "Official")) == 1


def test_cluster_status_from_the_sentence() -> None:
    ex = run("В Псковской области создаётся кластер «Псковский лён».",
             "В регионе уже действует кластер «Великолукский машиностроитель».")
    status = {e.name: e.props.get("status") for e in ex.entities if e.label == "Cluster"}
    assert status == {"Псковский лён": "planned", "Великолукский машиностроитель": "active"}


def test_quotation_mentioning_a_cluster_is_not_a_cluster_and_parent_group_is_not_anchor() -> None:
    ex = run("Кластер «Иркутские самолёты» создаётся в Иркутской области",
             "Якорным предприятием кластера станет АО «Иркут-Авиа», входящее в ПАО «Корпорация Иркут».",
             "«Создание кластера позволит нарастить кооперацию», – подчеркнул Игорь Кобзев.")
    assert names(ex, "Cluster") == {"Иркутские самолёты"}
    assert rels(ex, "ANCHORS") == {("Иркут-Авиа", "Иркутские самолёты")}


def test_members_named_after_its_pronoun_and_oblique_given_name() -> None:
    ex = run("В 2021 году был создан кластер «Вологодский лес», его участниками стали ООО «Сокол» и АО «Кадуй».",
             "По словам министра экономики Вологодской области Дмитрия Вавилина, кластер растёт.")
    assert rels(ex, "MEMBER_OF") == {("Сокол", "Вологодский лес"), ("Кадуй", "Вологодский лес")}
    assert "Дмитрий Вавилин" in names(ex, "Official")


def test_company_from_region_and_post_in_brackets() -> None:
    ex = run("На форум приехали ООО «Стройдеталь» из Брянской области и Иван Сидоров "
             "(генеральный директор АО «Брянсктекстиль»).")
    assert rels(ex, "LOCATED_IN") == {("Стройдеталь", "RU-BRY")}
    assert rels(ex, "HOLDS_POST") == {("Иван Сидоров", "Брянсктекстиль")}


def test_minister_of_a_ministry_with_a_list_name_holds_posts_there_and_in_the_region() -> None:
    ex = run("Совещание провёл министр промышленности, торговли и предпринимательства Калужской области "
             "Пётр Ильин.")
    ministry = "Министерство промышленности, торговли и предпринимательства Калужской области"
    assert rels(ex, "HOLDS_POST") == {("Пётр Ильин", ministry), ("Пётр Ильин", "RU-KLU")}


def test_post_owner_from_pronoun_bare_head_noun_and_company_word() -> None:
    ex = run("Кластер «Ярославская фарма» создан при поддержке регионального фонда развития промышленности.",
             "Специализированной организацией кластера стал Центр кластерного развития Ярославской области. "
             "Как пояснил её директор Олег Белов, участники готовят проекты.",
             "Между фондом и АО «Фармстрой» подписано соглашение: со стороны фонда документ подписал его директор "
             "Иван Ветров, со стороны компании – вице-президент Антон Зорин.")
    holds = rels(ex, "HOLDS_POST")
    assert ("Олег Белов", "Центр кластерного развития Ярославской области") in holds
    assert ("Иван Ветров", "Фонд развития промышленности Ярославской области") in holds
    assert ("Антон Зорин", "Фармстрой") in holds
    agr = next(iter(names(ex, "Agreement")))
    assert ("Фонд развития промышленности Ярославской области", agr) in rels(ex, "PARTY_TO")


def test_denied_membership_regions_as_subject_and_quoted_cluster_in_genitive() -> None:
    ex = run("Марий Эл и Чувашия создадут межрегиональный кластер деревообработки",
             "Участниками «Волжского деревообрабатывающего кластера» стали ООО «Древпром» и АО «Лесхим».",
             "Компания АО «Сосна» пока не заявила о вступлении в кластер.")
    cluster = "Волжский деревообрабатывающий кластер"
    assert cluster in names(ex, "Cluster")
    assert ("Сосна", cluster) not in rels(ex, "MEMBER_OF")
    assert {("Древпром", cluster), ("Лесхим", cluster)} <= rels(ex, "MEMBER_OF")
    # the title's description and the quoted name are one cluster (same industry words)
    assert names(ex, "Cluster") == {cluster}
    assert {(cluster, "RU-ME"), (cluster, "RU-CU")} <= rels(ex, "LOCATED_IN")


def test_agreement_reported_after_the_cluster_concerns_it() -> None:
    ex = run("В Кемеровской области создан кластер «Кузнецкий уголь»",
             "Соответствующее соглашение подписали губернатор Кемеровской области Илья Середюк и "
             "генеральный директор АО «Углемаш» Павел Орлов.")
    agr = next(iter(names(ex, "Agreement")))
    assert rels(ex, "CONCERNS") == {(agr, "Кузнецкий уголь")}
    assert ("Павел Орлов", agr) in rels(ex, "SIGNED")


def test_acting_head_deputy_premier_and_cluster_that_includes_companies() -> None:
    ex = run("Кластер «Печорский лес» включает 12 предприятий, среди которых ООО «Усинсклес» и АО «Печорабумага».",
             "Врио главы Республики Коми Ростислав Гольдштейн поддержал проект.",
             "Вице-премьер Республики Коми Иван Иванов посетил предприятия.")
    assert rels(ex, "MEMBER_OF") == {("Усинсклес", "Печорский лес"), ("Печорабумага", "Печорский лес")}
    holds = {r.props["title"] for r in ex.relations if r.type == "HOLDS_POST"}
    assert {"Acting Head", "Deputy Prime Minister"} <= holds
    assert ("Ростислав Гольдштейн", "RU-KO") in rels(ex, "HOLDS_POST")
    assert ("Иван Иванов", "Правительство Республики Коми") in rels(ex, "HOLDS_POST")


def test_unmarked_names_in_a_member_list_after_sredi_uchastnikov() -> None:
    ex = run("В Курской области создан кластер «Курский сахар». Среди участников — АО «Сахарный комбинат», "
             "Льговсахар, Агро-Черноземье, Курский элеватор и ГК «Золотая нива».")
    members = {a for a, b in rels(ex, "MEMBER_OF") if b == "Курский сахар"}
    assert members == {"Сахарный комбинат", "Льговсахар", "Агро-Черноземье", "Курский элеватор", "Золотая нива"}


def test_unmarked_university_joins_the_obyedinenie_and_an_acronym_too() -> None:
    ex = run("В Мурманской области создан кластер «Арктическая рыба». Ранее в объединение вошли "
             "Мурманский арктический университет и Мурманрыбвтуз.")
    members = {a for a, b in rels(ex, "MEMBER_OF")}
    assert members == {"Мурманский арктический университет", "Мурманрыбвтуз"}
    assert entity(ex, "Institution", "Мурманский арктический университет").props["kind"] == "university"


def test_unmarked_anchor_after_yadrom_klastera() -> None:
    ex = run("В Мурманской области создан кластер «Арктическая рыба». Ядром кластера является "
             "Северная рыбная компания.")
    assert rels(ex, "ANCHORS") == {("Северная рыбная компания", "Арктическая рыба")}


def test_negation_after_the_membership_trigger() -> None:
    ex = run("В Мурманской области создан кластер «Арктическая рыба». Компания «Норд-Фиш», которая "
             "поставляет сырьё заводам кластера, его участником не является.")
    assert not rels(ex, "MEMBER_OF")


def test_title_description_merges_into_the_quoted_name_it_describes() -> None:
    ex = run("В Курской области создан сахарный кластер",
             "В Курской области зарегистрирован сахарный кластер «Курский сахар», в состав которого вошли "
             "12 предприятий. Якорным предприятием объединения стало АО «Льговсахар».")
    assert names(ex, "Cluster") == {"Курский сахар"}
    assert rels(ex, "ANCHORS") == {("Льговсахар", "Курский сахар")}


def test_two_named_clusters_of_one_industry_keep_the_generic_one_apart() -> None:
    ex = run("Сахарные кластеры",
             "В области действуют сахарный кластер «Курский сахар» и сахарный кластер «Льгов». "
             "Сахарный кластер получит субсидию.")
    assert {"Курский сахар", "Льгов"} <= names(ex, "Cluster")


def test_ministry_name_with_a_comma_list_of_fields() -> None:
    ex = run("Инициатором выступило Министерство экологии, природопользования и туризма Курской области.")
    assert "Министерство экологии, природопользования и туризма Курской области" in names(ex, "Institution")


def test_university_named_after_a_person_with_initials() -> None:
    ex = run("В кластер вошёл Курский государственный университет имени А. С. Пушкина.")
    assert "Курский государственный университет имени А. С. Пушкина" in names(ex, "Institution")


def test_bare_interregional_cluster_in_the_title_is_the_one_described_cluster() -> None:
    ex = run("В Орловской области создадут межрегиональный кластер",
             "Правительства Орловской и Курской областей заключили соглашение о создании межрегионального "
             "кластера приборостроения.")
    assert names(ex, "Cluster") == {"межрегиональный кластер приборостроения"}


def test_osnovoy_obyedineniya_names_anchors() -> None:
    ex = run("В Орловской области создан кластер «Орёл-Прибор». Основой объединения станут завод «Протон» "
             "и компания «Орёлтекмаш».")
    assert rels(ex, "ANCHORS") == {("Протон", "Орёл-Прибор"), ("Орёлтекмаш", "Орёл-Прибор")}


def test_bare_minister_holds_the_post_in_the_documents_one_ministry() -> None:
    ex = run("Инициатором выступило Министерство промышленности и торговли Орловской области. По словам "
             "министра Ольги Ивановой, кластер начнёт работу в 2025 году.")
    assert ("Ольга Иванова", "Министерство промышленности и торговли Орловской области") in rels(ex, "HOLDS_POST")


def test_bare_minister_without_a_ministry_in_the_document_holds_nothing() -> None:
    ex = run("По словам министра Ольги Ивановой, кластер начнёт работу в 2025 году.")
    assert not rels(ex, "HOLDS_POST")


def test_list_after_k_klasteru_prisoedinilis_with_a_count() -> None:
    ex = run("В Марий Эл к приборостроительному кластеру присоединились ещё два предприятия: ООО «Марийский "
             "прибор» и Йошкар-Олинский механический завод.")
    members = {a for a, _ in rels(ex, "MEMBER_OF")}
    assert members == {"Марийский прибор", "Йошкар-Олинский механический завод"}


def test_agreement_title_stops_before_the_subject_after_it() -> None:
    ex = run("В Марий Эл создан кластер «Марий Прибор». Соглашение о сотрудничестве кластер заключил с "
             "Поволжским государственным технологическим университетом.")
    assert names(ex, "Agreement") == {"Соглашение о сотрудничестве"}


def test_institution_name_with_a_dative_object_after_sodeystviya() -> None:
    ex = run("Координатором кластера стал Фонд содействия кредитованию малого и среднего бизнеса Орловской области.")
    assert "Фонд содействия кредитованию малого и среднего бизнеса Орловской области" in names(ex, "Institution")


# ---- blind-set failure categories (own sentences) ------------------------------------------------------------

_INTRO = "В Тюменской области создан кластер полимерного машиностроения. "
_CL = "кластер полимерного машиностроения"


def test_membership_v_chislo_uchastnikov_with_unquoted_hyphenated_name() -> None:
    ex = run(_INTRO + "В число участников входят ООО «Полимер-Сервис», Тобольск-Полимермаш и "
             "Тюменский индустриальный университет.")
    got = rels(ex, "MEMBER_OF")
    for member in ("Полимер-Сервис", "Тобольск-Полимермаш", "Тюменский индустриальный университет"):
        assert (member, _CL) in got


def test_membership_uchastnikami_stali_and_negations() -> None:
    got = rels(run(_INTRO + "Участниками стали ООО «Полимер-Сервис» и АО «Тюменьнефтемаш»."), "MEMBER_OF")
    assert {("Полимер-Сервис", _CL), ("Тюменьнефтемаш", _CL)} <= got
    assert rels(run(_INTRO + "Компания «Сибур» участником кластера не является."), "MEMBER_OF") == set()
    assert rels(run(_INTRO + "АО «Тюменьнефтемаш» входить в кластер не планирует."), "MEMBER_OF") == set()


def test_agency_coordinates_the_cluster() -> None:
    ex = run(_INTRO + "Кластер координирует Агентство инвестиционного развития Тюменской области.")
    assert ("Агентство инвестиционного развития Тюменской области", _CL) in rels(ex, "COORDINATES")


@pytest.mark.parametrize("dateline", ["ЮЖНО-САХАЛИНСК, 12 марта.", "ЮЖНО-САХАЛИНСК —"])
def test_dateline_in_capitals_is_no_enterprise(dateline: str) -> None:
    ex = run(dateline + " В Сахалинской области создан рыбопромышленный кластер.")
    assert names(ex, "Enterprise") == set()


@pytest.mark.parametrize("prefix", ["", "Проект поддержит "])
def test_region_adjective_regional_fund_is_an_institution_in_that_region(prefix: str) -> None:
    ex = run(prefix + "Белгородский региональный фонд развития промышленности выдал заём.")
    fund = entity(ex, "Institution", "Белгородский региональный фонд развития промышленности")
    assert fund.props["kind"] == "fund"
    assert (fund.name, "RU-BEL") in rels(ex, "LOCATED_IN")


def test_federal_fund_without_region_adjective_stays_unplaced() -> None:
    ex = run("Тульский завод получил заём Фонда развития промышленности.")
    assert "Фонд развития промышленности" in names(ex, "Institution")
    assert not any(src == "Фонд развития промышленности" for src, _ in rels(ex, "LOCATED_IN"))


def test_organisation_named_after_a_region_is_located_there() -> None:
    ex = run(_INTRO + "В кластер вошли ЮграКомпозит и ООО «Татарстан-Пласт».")
    got = rels(ex, "LOCATED_IN")
    assert {("ЮграКомпозит", "RU-KHM"), ("Татарстан-Пласт", "RU-TA")} <= got
    assert ("ЮграКомпозит", _CL) in rels(ex, "MEMBER_OF")


def test_house_of_government_is_a_building() -> None:
    ex = run("Соглашение подписали в Доме Правительства Сахалинской области.")
    assert names(ex, "Institution") == set()


def test_cluster_own_name_in_member_list_is_no_member() -> None:
    ex = run("Кластер «Западная Сибирь» создан в Тюменской области. "
             "В кластер вошли «Западная Сибирь», ООО «Полимер-Сервис» и АО «Вега».")
    got = rels(ex, "MEMBER_OF")
    assert {("Полимер-Сервис", "Западная Сибирь"), ("Вега", "Западная Сибирь")} <= got
    assert ("Западная Сибирь", "Западная Сибирь") not in got
    assert "Западная Сибирь" not in names(ex, "Enterprise")


def test_sez_in_moscow_oblast_not_in_the_city_named_nearby() -> None:
    ex = run(_INTRO + "В кластер вошли резиденты ОЭЗ «Дубна» из Москвы.")
    got = rels(ex, "LOCATED_IN")
    assert ("ОЭЗ «Дубна»", "RU-MOS") in got
    assert ("ОЭЗ «Дубна»", "RU-MOW") not in got


def test_participle_places_the_listed_organisations() -> None:
    ex = run(_INTRO + "В кластер вошли ООО «Вега» и АО «Сигма», работающие в ХМАО.")
    got = rels(ex, "LOCATED_IN")
    assert {("Вега", "RU-KHM"), ("Сигма", "RU-KHM")} <= got
    # members from another region make the cluster interregional: it is in that region too
    assert (_CL, "RU-KHM") in got
    assert {("Вега", _CL), ("Сигма", _CL)} <= rels(ex, "MEMBER_OF")


def test_v_nego_voshli_and_purpose_in_described_cluster_name() -> None:
    ex = run("Кластер оборудования для нефтегазовой отрасли создан в Тюмени",
             "В Тюменской области создан кластер оборудования для нефтегазовой отрасли. "
             "В него вошли ООО «Вега», Тобольск-Полимермаш и АО «Сигма».")
    cl = "кластер оборудования для нефтегазовой отрасли"
    assert names(ex, "Cluster") == {cl}
    assert {("Вега", cl), ("Тобольск-Полимермаш", cl), ("Сигма", cl)} <= rels(ex, "MEMBER_OF")


def test_purpose_of_enterprises_is_not_in_the_cluster_name() -> None:
    ex = run("В Тульской области создан кластер станков для предприятий региона.")
    assert names(ex, "Cluster") == {"кластер станков"}


def test_dash_member_list_keeps_a_hyphenated_name_the_ner_reads_as_a_person() -> None:
    ex = run(_INTRO + "Участники кластера — ООО «Вега», АО «Сигма» и Тобольск-Полимермаш.")
    assert {("Вега", _CL), ("Сигма", _CL), ("Тобольск-Полимермаш", _CL)} <= rels(ex, "MEMBER_OF")
    ex = run(_INTRO + "Участниками стали ООО «Вега» и АО «Сигма», сообщил Иван Петров.")
    assert "Иван Петров" in names(ex, "Official")
    assert "Иван Петров" not in names(ex, "Enterprise")


def test_klasterom_upravlyaet_is_coordination() -> None:
    ex = run(_INTRO + "Кластером управляет Центр кластерного развития Тюменской области.")
    assert ("Центр кластерного развития Тюменской области", _CL) in rels(ex, "COORDINATES")


def test_unquoted_brand_shaped_name_after_a_company_word() -> None:
    ex = run("Компания ЮграКомпозит и завод Кузбасс-Пласт открыли цеха.")
    assert {"ЮграКомпозит", "Кузбасс-Пласт"} <= names(ex, "Enterprise")
    assert {("ЮграКомпозит", "RU-KHM"), ("Кузбасс-Пласт", "RU-KEM")} <= rels(ex, "LOCATED_IN")
    assert names(run("В Кузбассе завод открыл цех."), "Enterprise") == set()


def test_headline_short_description_does_not_truncate_the_cluster_name() -> None:
    ex = run("В Тюмени создадут кластер оборудования",
             "В Тюменской области создан кластер нефтегазового оборудования. В него вошли ООО «Вега» и АО «Сигма».")
    assert names(ex, "Cluster") == {"кластер нефтегазового оборудования"}
    assert ("Вега", "кластер нефтегазового оборудования") in rels(ex, "MEMBER_OF")


@pytest.mark.parametrize(
    "sentence",
    [
        "Участниками кластера также стали ООО «Вега» и Тобольск-Полимермаш.",
        "В состав участников вошли ООО «Вега» и Тобольск-Полимермаш.",
        "Кроме того, к кластеру присоединились ООО «Вега» и Тобольск-Полимермаш.",
        "Также участниками стали ООО «Вега» и Тобольск-Полимермаш.",
    ],
)
def test_more_membership_list_phrasings(sentence: str) -> None:
    got = rels(run(_INTRO + sentence), "MEMBER_OF")
    assert {("Вега", _CL), ("Тобольск-Полимермаш", _CL)} <= got
