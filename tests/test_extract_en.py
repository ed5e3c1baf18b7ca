"""English extraction: one sentence per pattern for every relation type, negatives, lists, references.

The sentences are written for these tests (none is taken from the seed articles), so they check that
the rules generalise beyond the seeds.
"""

from __future__ import annotations

import pytest

from loaders.document import Paragraph
from loaders.exchange import Entity, Exchange
from loaders.extract import english


def run(text: str) -> Exchange:
    """Extract from `text`; blank lines separate paragraphs."""
    return english.extract("t.txt", [Paragraph(p, "en") for p in text.split("\n\n")])


def names(ex: Exchange, label: str) -> set[str]:
    return {e.name for e in ex.entities if e.label == label}


def entity(ex: Exchange, label: str, name: str) -> Entity:
    found = [e for e in ex.entities if e.label == label and (e.name == name or name in e.aliases)]
    assert found, f"no {label} {name!r} in {[(e.label, e.name) for e in ex.entities]}"
    return found[0]


def facts(ex: Exchange, type_: str | None = None) -> set[tuple[str, str, str]]:
    """(type, from name, to name) of every relation; Regions are named by ISO code."""

    def label_of(key: str) -> str:
        e = next(e for e in ex.entities if e.key == key)
        return e.props["iso"] if e.label == "Region" else e.name

    return {(r.type, label_of(r.from_), label_of(r.to)) for r in ex.relations if type_ in (None, r.type)}


# ---- entities -------------------------------------------------------------------------------------


def test_legal_form_is_split_off_and_kept_as_alias() -> None:
    ex = run("PJSC Kamaz Trucks and LLC Tatneft-Plastic opened a new workshop.")
    kamaz = entity(ex, "Enterprise", "Kamaz Trucks")
    assert kamaz.props["legalForm"] == "PJSC"
    assert "PJSC Kamaz Trucks" in kamaz.aliases
    assert entity(ex, "Enterprise", "Tatneft-Plastic").props["legalForm"] == "LLC"


def test_institutions_by_head_word_get_their_kind() -> None:
    ex = run(
        "Students of Perm National Research Polytechnic University and the Ministry of Industry of the "
        "Perm Krai met representatives of the Development Fund of Perm Krai and the Moscow Technopark."
    )
    assert (
        entity(ex, "Institution", "Perm National Research Polytechnic University").props["kind"]
        == "university"
    )
    assert entity(ex, "Institution", "Development Fund of Perm Krai").props["kind"] == "fund"
    assert entity(ex, "Institution", "Moscow Technopark").props["kind"] == "technopark"


def test_region_versus_city_of_the_same_name() -> None:
    ex = run("The plant in Tula will supply the enterprises of Tula Oblast.")
    regions = [e for e in ex.entities if e.label == "Region"]
    assert [r.props["iso"] for r in regions] == ["RU-TUL"]
    assert regions[0].aliases == ["Tula Oblast"] or "Tula Oblast" in [regions[0].name, *regions[0].aliases]


def test_person_named_vladimir_versus_vladimir_region_and_city() -> None:
    ex = run("Vladimir Mashkov visited the Vladimir region. In Vladimir, he met the students.")
    assert names(ex, "Official") == {"Vladimir Mashkov"}
    assert {e.props["iso"] for e in ex.entities if e.label == "Region"} == {"RU-VLA"}


def test_person_before_a_capitalised_region_word_is_not_a_person() -> None:
    ex = run("Investors came to the Vladimir Region and to Vladimir State University.")
    assert names(ex, "Official") == set()
    assert "Vladimir State University" in names(ex, "Institution")


def test_described_clusters_in_a_coordinated_list() -> None:
    ex = run(
        "The region is preparing a machine-tool cluster, a cluster of wood processing, a biotechnology "
        "cluster and a cluster of building materials."
    )
    assert names(ex, "Cluster") == {
        "machine-tool cluster",
        "cluster of wood processing",
        "biotechnology cluster",
        "cluster of building materials",
    }
    assert {e.props["status"] for e in ex.entities if e.label == "Cluster"} == {"planned"}


def test_generic_cluster_phrase_is_a_reference_not_a_new_cluster() -> None:
    ex = run("The Yaroslavl engine cluster held a meeting. The industrial cluster will grow.")
    assert names(ex, "Cluster") == {"Yaroslavl engine cluster"}


def test_cluster_status_and_founding_year() -> None:
    ex = run("The Penza instrument-making cluster was created in 2016. A textile cluster is being created.")
    penza = entity(ex, "Cluster", "Penza instrument-making cluster")
    assert penza.props["status"] == "active" and penza.props["founded"] == "2016"
    assert entity(ex, "Cluster", "textile cluster").props["status"] == "planned"


def test_quoted_cluster_name() -> None:
    ex = run('The cluster "Smart Materials" unites twelve companies.')
    assert "Smart Materials" in names(ex, "Cluster")


def test_decree_is_an_agreement() -> None:
    ex = run("The technopark will receive a subsidy under Government Decree No. 2045.")
    assert "Government Decree No. 2045" in names(ex, "Agreement")


def test_company_marked_only_by_context() -> None:
    ex = run("ZETTA is an anchor resident of the technopark.")
    assert "ZETTA" in names(ex, "Enterprise")
    assert facts(ex, "ANCHORS") == set()  # a technopark is not a cluster


# ---- relations, one pattern each ------------------------------------------------------------------


def test_anchors_subject_verb_object() -> None:
    ex = run("PJSC Sibirskie Polimery has become the anchor enterprise of the Omsk petrochemical cluster.")
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Sibirskie Polimery", "Omsk petrochemical cluster")}


def test_anchors_inverse_order() -> None:
    ex = run("The anchor company of the Samara aerospace cluster will be JSC Volga Avionika.")
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Volga Avionika", "Samara aerospace cluster")}


def test_member_of_by_joining_with_list_expansion() -> None:
    ex = run("LLC Tulachermet-Stal and JSC Shchekinoazot joined the Tula metallurgical cluster in March.")
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Tulachermet-Stal", "Tula metallurgical cluster"),
        ("MEMBER_OF", "Shchekinoazot", "Tula metallurgical cluster"),
    }


def test_member_of_is_a_member() -> None:
    ex = run("Kazan Federal University is also a member of the Kama innovation cluster.")
    assert facts(ex, "MEMBER_OF") == {("MEMBER_OF", "Kazan Federal University", "Kama innovation cluster")}


def test_visiting_a_cluster_is_not_membership() -> None:
    ex = run("A delegation of JSC Avtodizel visited the Yaroslavl engine cluster.")
    assert facts(ex, "MEMBER_OF") == set()
    assert "Avtodizel" in names(ex, "Enterprise")


def test_member_of_resolves_this_cluster_to_the_document_cluster() -> None:
    ex = run(
        "The Bryansk furniture cluster was created in 2015.\n\n"
        "LLC Mebelny Dom and JSC Bryanskles are members of this cluster."
    )
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Mebelny Dom", "Bryansk furniture cluster"),
        ("MEMBER_OF", "Bryanskles", "Bryansk furniture cluster"),
    }


def test_reference_resolves_to_the_most_salient_cluster() -> None:
    ex = run(
        "The Kurgan bus cluster and the Chelyabinsk pipe cluster were discussed. The Kurgan bus cluster "
        "is growing.\n\nToday JSC Avtoprofil is a participant of the cluster."
    )
    assert facts(ex, "MEMBER_OF") == {("MEMBER_OF", "Avtoprofil", "Kurgan bus cluster")}


def test_located_in_cluster_facilities_in_regions() -> None:
    ex = run(
        "The Ulyanovsk aviation cluster unites 20 enterprises in Ulyanovsk Oblast and 3 plants in Samara "
        "Oblast."
    )
    assert facts(ex, "LOCATED_IN") == {
        ("LOCATED_IN", "Ulyanovsk aviation cluster", "RU-ULY"),
        ("LOCATED_IN", "Ulyanovsk aviation cluster", "RU-SAM"),
    }


def test_located_in_from_region() -> None:
    ex = run("LLC Kirov Plastics from Kirov Oblast presented its products.")
    assert facts(ex, "LOCATED_IN") == {("LOCATED_IN", "Kirov Plastics", "RU-KIR")}


def test_located_in_a_city_is_no_region() -> None:
    ex = run("LLC Kirov Plastics opened an office in Tula.")
    assert facts(ex, "LOCATED_IN") == set()


def test_located_in_for_an_organisation_named_after_its_region() -> None:
    ex = run("The Industrial Development Fund of Kursk Oblast supports the enterprises.")
    assert ("LOCATED_IN", "Industrial Development Fund of Kursk Oblast", "RU-KRS") in facts(ex)


def test_cluster_takes_the_only_region_of_its_paragraph() -> None:
    ex = run(
        "Officials of Lipetsk Oblast met investors on Monday. They discussed a new agricultural machinery "
        "cluster."
    )
    assert facts(ex, "LOCATED_IN") == {("LOCATED_IN", "agricultural machinery cluster", "RU-LIP")}


def test_agreement_parties_concerns_and_signatures() -> None:
    ex = run(
        "The governments of Penza Oblast and the Republic of Mordovia signed an agreement on the creation "
        "of an interregional electronics cluster. Governor of Penza Oblast Oleg Melnichenko and Head of "
        "Mordovia Artem Zdunov put their signatures on the agreement."
    )
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {("PARTY_TO", "RU-PNZ", agreement), ("PARTY_TO", "RU-MO", agreement)}
    assert facts(ex, "CONCERNS") == {("CONCERNS", agreement, "interregional electronics cluster")}
    assert facts(ex, "SIGNED") == {
        ("SIGNED", "Oleg Melnichenko", agreement),
        ("SIGNED", "Artem Zdunov", agreement),
    }


def test_agreement_between_a_list_of_parties() -> None:
    ex = run(
        "An agreement was concluded between Tomsk State University, JSC Sibkabel and the Tomsk "
        "pharmaceutical cluster."
    )
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {
        ("PARTY_TO", "Tomsk State University", agreement),
        ("PARTY_TO", "Sibkabel", agreement),
        ("PARTY_TO", "Tomsk pharmaceutical cluster", agreement),
    }


def test_leasing_agreements_without_a_signing_are_no_agreement() -> None:
    ex = run("The subsidy covers the interest rate on leasing agreements.")
    assert names(ex, "Agreement") == set()


def test_holds_post_title_before_person() -> None:
    ex = run("Chairman of the board of JSC Uralkhimmash Pavel Korobov spoke first.")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Pavel Korobov", "Uralkhimmash")}
    rel = next(r for r in ex.relations if r.type == "HOLDS_POST")
    assert rel.props["title"] == "Chairman of the Board"


def test_holds_post_apposition_after_person() -> None:
    ex = run("Sergey Ivanov, General Director of JSC Uralkhimmash, said the order book is full.")
    rel = next(r for r in ex.relations if r.type == "HOLDS_POST")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Sergey Ivanov", "Uralkhimmash")}
    assert rel.props["title"] == "General Director"


def test_holds_post_region_title_person() -> None:
    ex = run("Kaluga Region Governor Vladislav Shapsha opened the plant.")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Vladislav Shapsha", "RU-KLU")}


def test_holds_post_deputy_title_is_kept() -> None:
    ex = run("Irina Petrova, Deputy Governor of the Novgorod Region, opened the forum.")
    rel = next(r for r in ex.relations if r.type == "HOLDS_POST")
    assert rel.props["title"] == "Deputy Governor"
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Irina Petrova", "RU-NGR")}


def test_holds_post_coordinated_titles_expand_pairwise() -> None:
    ex = run(
        "The meeting was attended by the governors of Kursk and Belgorod regions Roman Starovoit and "
        "Vyacheslav Gladkov."
    )
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Roman Starovoit", "RU-KRS"),
        ("HOLDS_POST", "Vyacheslav Gladkov", "RU-BEL"),
    }


def test_holds_post_list_of_officials_does_not_cross_pairs() -> None:
    ex = run(
        "Governor of Kursk Oblast Roman Starovoit, governor of Belgorod Oblast Vyacheslav Gladkov and "
        "president of JSC Kurskrezinotekhnika Anton Belov signed the memorandum."
    )
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Roman Starovoit", "RU-KRS"),
        ("HOLDS_POST", "Vyacheslav Gladkov", "RU-BEL"),
        ("HOLDS_POST", "Anton Belov", "Kurskrezinotekhnika"),
    }


def test_coordinates_specialised_organisation() -> None:
    ex = run(
        "The Lipetsk metalworking cluster was founded in 2019.\n\n"
        "The Fund for the Development of Industry of Lipetsk Region will be the specialised organisation "
        "of the cluster."
    )
    assert facts(ex, "COORDINATES") == {
        (
            "COORDINATES",
            "Fund for the Development of Industry of Lipetsk Region",
            "Lipetsk metalworking cluster",
        )
    }


def test_coordinates_inverse_order() -> None:
    ex = run(
        "The management company of the Samara aerospace cluster is the Samara Regional Innovation Center."
    )
    assert facts(ex, "COORDINATES") == {
        ("COORDINATES", "Samara Regional Innovation Center", "Samara aerospace cluster")
    }


def test_evidence_is_the_exact_sentence() -> None:
    text = "The Bryansk furniture cluster was created in 2015. JSC Bryanskles joined the cluster last year."
    ex = run(text)
    rel = next(r for r in ex.relations if r.type == "MEMBER_OF")
    assert [e.text for e in rel.evidence] == ["JSC Bryanskles joined the cluster last year."]
    assert rel.evidence[0].doc == "t.txt"


def test_one_entity_per_thing_within_a_document() -> None:
    ex = run(
        "JSC Bryanskles joined the cluster. Bryanskles produces plywood. The Bryansk furniture cluster grows."
    )
    assert len([e for e in ex.entities if e.label == "Enterprise"]) == 1


@pytest.mark.parametrize("text", ["", "Nothing to see here.", "Cluster."])
def test_texts_without_facts(text: str) -> None:
    ex = run(text)
    assert ex.relations == []


def test_anchors_apposition() -> None:
    ex = run(
        "JSC Kirovsky Zavod, the anchor resident of the St. Petersburg machine-building cluster, "
        "doubled output."
    )
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Kirovsky Zavod", "St. Petersburg machine-building cluster")}
    assert ("LOCATED_IN", "St. Petersburg machine-building cluster", "RU-SPE") in facts(ex)


def test_anchors_its_anchor_refers_to_the_cluster_in_context() -> None:
    ex = run("A shipbuilding cluster will be created in Primorsky Krai. Zvezda shipyard will be its anchor.")
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Zvezda", "shipbuilding cluster")}


def test_member_of_inverse_includes_a_list() -> None:
    ex = run(
        "Members of the Chuvash electrical cluster include JSC Elara, LLC Ekra and Chuvash State University."
    )
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Elara", "Chuvash electrical cluster"),
        ("MEMBER_OF", "Ekra", "Chuvash electrical cluster"),
        ("MEMBER_OF", "Chuvash State University", "Chuvash electrical cluster"),
    }


def test_unknown_name_coordinated_with_a_known_company_is_a_member_too() -> None:
    ex = run("Tatneft and JSC Kazanorgsintez have become participants of the Kama petrochemical cluster.")
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Tatneft", "Kama petrochemical cluster"),
        ("MEMBER_OF", "Kazanorgsintez", "Kama petrochemical cluster"),
    }


def test_person_found_by_speech_verb_and_lowercase_reference_to_an_institution() -> None:
    ex = run(
        "The Investment Development Agency of the Republic of Tatarstan will support the cluster. "
        '"We will help," said Taliya Minullina, head of the agency.'
    )
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Taliya Minullina", "Investment Development Agency of the Republic of Tatarstan")
    }


def test_headline_verb_is_not_part_of_a_cluster_name() -> None:
    ex = run("Tatarstan launches interregional petrochemical cluster with Bashkortostan")
    assert names(ex, "Cluster") == {"interregional petrochemical cluster"}


def test_institution_name_stops_before_the_next_organisation_in_a_list() -> None:
    ex = run(
        "A memorandum was signed between the Government of Kemerovo Region, JSC SUEK-Kuzbass and Kuzbass "
        "State Technical University."
    )
    assert "Government of Kemerovo Region" in names(ex, "Institution")
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {
        ("PARTY_TO", "Government of Kemerovo Region", agreement),
        ("PARTY_TO", "RU-KEM", agreement),  # the region, through its government
        ("PARTY_TO", "SUEK-Kuzbass", agreement),
        ("PARTY_TO", "Kuzbass State Technical University", agreement),
    }


def test_people_sign_a_memorandum_and_hold_posts() -> None:
    ex = run(
        "Alexander Ivanov, CEO of LLC Polymer Plant, and Maria Sokolova, rector of Novosibirsk State "
        "University, signed a memorandum of understanding."
    )
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Alexander Ivanov", "Polymer Plant"),
        ("HOLDS_POST", "Maria Sokolova", "Novosibirsk State University"),
    }
    assert {f[1] for f in facts(ex, "SIGNED")} == {"Alexander Ivanov", "Maria Sokolova"}


def test_member_of_list_after_among_them() -> None:
    ex = run(
        "The Kazan automotive cluster was created in 2012. The cluster includes 15 participants, among them "
        "PJSC KAMAZ and JSC Tatneft."
    )
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "KAMAZ", "Kazan automotive cluster"),
        ("MEMBER_OF", "Tatneft", "Kazan automotive cluster"),
    }


def test_institution_name_does_not_swallow_the_person_after_it() -> None:
    ex = run("Deputy Chairman of the Government of the Kaluga Region Vladimir Popov attended.")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Vladimir Popov", "Government of the Kaluga Region")}
    assert ("LOCATED_IN", "Government of the Kaluga Region", "RU-KLU") in facts(ex)


def test_minister_title_names_the_ministry() -> None:
    ex = run("Minister of Industry and Trade of the Tula Region Ivan Ivanov opened the session.")
    ministry = next(e for e in ex.entities if e.label == "Institution")
    assert ministry.props["kind"] == "ministry" and "Tula" in ministry.name
    rel = next(r for r in ex.relations if r.type == "HOLDS_POST")
    assert rel.props["title"] == "Minister"
    assert ("LOCATED_IN", ministry.name, "RU-TUL") in facts(ex)


def test_title_case_cluster_name_with_of_complement() -> None:
    ex = run("The Cluster of Aviation and Unmanned Aerial Systems was created in 2021.")
    assert names(ex, "Cluster") == {"Cluster of Aviation and Unmanned Aerial Systems"}


def test_cluster_of_a_region_keeps_the_region_in_its_name() -> None:
    ex = run("A pharmaceutical cluster of the Kaluga region is being created.")
    cluster = entity(ex, "Cluster", "pharmaceutical cluster of the Kaluga region")
    assert "pharmaceutical cluster" in cluster.aliases and cluster.props["status"] == "planned"
    assert facts(ex, "LOCATED_IN") == {
        ("LOCATED_IN", "pharmaceutical cluster of the Kaluga region", "RU-KLU")
    }


def test_agreement_signed_by_parties_concerning_a_cluster_named_in_its_clause() -> None:
    ex = run(
        "An agreement on cooperation in the development of the Lipetsk metalworking cluster was signed "
        "by the "
        "Government of Lipetsk Region and JSC NLMK."
    )
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {
        ("PARTY_TO", "Government of Lipetsk Region", agreement),
        ("PARTY_TO", "RU-LIP", agreement),
        ("PARTY_TO", "NLMK", agreement),
    }
    assert facts(ex, "CONCERNS") == {("CONCERNS", agreement, "Lipetsk metalworking cluster")}


def test_agreement_with_a_partner() -> None:
    ex = run("JSC Severstal signed a cooperation agreement with Cherepovets State University.")
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {
        ("PARTY_TO", "Severstal", agreement),
        ("PARTY_TO", "Cherepovets State University", agreement),
    }
    assert facts(ex, "CONCERNS") == set()


def test_two_institutions_joined_by_and_the_stay_apart() -> None:
    ex = run(
        "The Government of Rostov region and the Association of Agricultural Machinery Manufacturers have "
        "signed an agreement on the creation of a cluster of agricultural machinery."
    )
    assert {"Government of Rostov region", "Association of Agricultural Machinery Manufacturers"} <= names(
        ex, "Institution"
    )
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "PARTY_TO") == {
        ("PARTY_TO", "Government of Rostov region", agreement),
        ("PARTY_TO", "RU-ROS", agreement),  # the region, through its government
        ("PARTY_TO", "Association of Agricultural Machinery Manufacturers", agreement),
    }
    assert facts(ex, "CONCERNS") == {("CONCERNS", agreement, "cluster of agricultural machinery")}


def test_anchor_named_after_the_verb_is_a_company() -> None:
    ex = run(
        "The anchor enterprise of the Don agricultural machinery cluster will be Rostselmash, one of the "
        "largest harvester makers."
    )
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Rostselmash", "Don agricultural machinery cluster")}


VOLOGDA = (
    "The Vologda timber cluster unites 12 companies. Its anchor company is Sokol Pulp Mill, one of the "
    "largest mills in the north, and its members include Cherepovets Plywood Plant, Vologda Lesprom and the "
    "pellet producer Sever-Bio. Segezha Group is not participating in the cluster."
)


def test_anchor_and_members_named_only_by_their_place_in_the_sentence() -> None:
    ex = run(VOLOGDA)
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Sokol Pulp Mill", "Vologda timber cluster")}
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Cherepovets Plywood Plant", "Vologda timber cluster"),
        ("MEMBER_OF", "Vologda Lesprom", "Vologda timber cluster"),
        ("MEMBER_OF", "Sever-Bio", "Vologda timber cluster"),
    }


def test_negated_participation_is_no_membership() -> None:
    ex = run(VOLOGDA)
    assert "Segezha Group" in names(ex, "Enterprise")
    assert not any(f[1] == "Segezha Group" for f in facts(ex))


def test_anchor_serving_as_in_a_cluster_article() -> None:
    ex = run(
        "The Arkhangelsk shipbuilding cluster was created in 2020.\n\nOnezhsky Shipyard will serve as the "
        "anchor enterprise."
    )
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Onezhsky Shipyard", "Arkhangelsk shipbuilding cluster")}


def test_coordinates_managed_by_and_functions_performed_by() -> None:
    ex = run("The Vologda timber cluster is managed by the Vologda Regional Center for Cluster Development.")
    assert facts(ex, "COORDINATES") == {
        ("COORDINATES", "Vologda Regional Center for Cluster Development", "Vologda timber cluster")
    }
    ex = run(
        "The Vologda timber cluster was created in 2019. The functions of the management company will be "
        'performed by Association "Wood Builders of the North".'
    )
    assert facts(ex, "COORDINATES") == {
        ("COORDINATES", "Wood Builders of the North", "Vologda timber cluster")
    }


def test_posts_named_by_context() -> None:
    ex = run(
        "The Vologda Regional Center for Cluster Development supports the cluster. Its director, Ivan "
        'Sidorov, spoke first. "We are ready," said Petr Orlov, who heads the center.'
    )
    center = "Vologda Regional Center for Cluster Development"
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Ivan Sidorov", center),
        ("HOLDS_POST", "Petr Orlov", center),
    }


def test_signatories_by_region_make_their_regions_parties() -> None:
    ex = run(
        "The memorandum on the timber cluster was signed by ministers of forestry of two regions: "
        "Ivan Sidorov "
        "(Vologda Oblast) and Petr Orlov (Arkhangelsk Oblast)."
    )
    agreement = next(e.name for e in ex.entities if e.label == "Agreement")
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Ivan Sidorov", "RU-VLG"),
        ("HOLDS_POST", "Petr Orlov", "RU-ARK"),
    }
    assert facts(ex, "PARTY_TO") == {("PARTY_TO", "RU-VLG", agreement), ("PARTY_TO", "RU-ARK", agreement)}


def test_lower_case_regional_government_is_an_institution() -> None:
    ex = run("The government of Vologda Oblast will co-finance the plant.")
    assert names(ex, "Institution") == {"Government of Vologda Oblast"}
    assert facts(ex, "LOCATED_IN") == {("LOCATED_IN", "Government of Vologda Oblast", "RU-VLG")}


def test_region_inside_a_hyphenated_company_name_is_no_region() -> None:
    ex = run("JSC SUEK-Kuzbass opened a new mine.")
    assert [e.label for e in ex.entities] == ["Enterprise"]


def test_bracketed_legal_form_marks_a_company() -> None:
    ex = run(
        "The anchor company of the Samara rocket cluster is Progress Rocket and Space Centre "
        "(JSC RSC Progress)."
    )
    assert "Progress Rocket and Space Centre" in names(ex, "Enterprise")
    assert ("ANCHORS", "Progress Rocket and Space Centre", "Samara rocket cluster") in facts(ex)


def test_title_case_headline_does_not_make_names_of_verbs_and_people() -> None:
    ex = run("Tula Governor Dmitry Milyaev Opens New Plant Of Polymer Cluster")
    assert names(ex, "Enterprise") == set()
    assert names(ex, "Official") == {"Dmitry Milyaev"}
    assert names(ex, "Cluster") == {"Polymer Cluster"}


def test_governor_of_a_city_named_region_holds_post_in_that_region() -> None:
    ex = run("Kaluga Governor Vladislav Shapsha opened the plant. Governor of Tula Alexey Dyumin spoke.")
    assert facts(ex, "HOLDS_POST") == {
        ("HOLDS_POST", "Vladislav Shapsha", "RU-KLU"),
        ("HOLDS_POST", "Alexey Dyumin", "RU-TUL"),
    }


def test_director_before_a_city_is_no_region_post() -> None:
    ex = run("Tula Director Ivan Sidorov opened the plant.")
    assert facts(ex, "HOLDS_POST") == set()
    assert not any(e.label == "Region" for e in ex.entities)


def test_reference_prefers_the_cluster_named_last_in_the_body_over_a_paraphrased_title() -> None:
    ex = run(
        "Three regions join forces in the Central Russia auto components cluster\n\n"
        "Enterprises of Tula, Kaluga and Bryansk regions will form the interregional cluster of automotive "
        "components.\n\nThe Kaluga Region Development Corporation will become the cluster's "
        "management company."
    )
    assert facts(ex, "COORDINATES") == {
        (
            "COORDINATES",
            "Kaluga Region Development Corporation",
            "interregional cluster of automotive components",
        )
    }
    assert {
        f[2] for f in facts(ex, "LOCATED_IN") if f[1] == "interregional cluster of automotive components"
    } == {"RU-TUL", "RU-KLU", "RU-BRY"}


def test_pronoun_subject_of_includes_is_the_cluster_in_context_and_decrees_concern_nothing() -> None:
    ex = run(
        "The Bashkir petrochemical cluster can receive subsidies under Government Resolution No. 41. "
        "The cluster was created in 2019. Today it includes 18 enterprises, among them PJSC ANK Bashneft and "
        "JSC Ufaorgsintez."
    )
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "ANK Bashneft", "Bashkir petrochemical cluster"),
        ("MEMBER_OF", "Ufaorgsintez", "Bashkir petrochemical cluster"),
    }
    assert facts(ex, "CONCERNS") == set()


def test_possessive_owner_of_a_company_post_and_region_possessive_cluster() -> None:
    ex = run("Bashkortostan's oil refining cluster grows. Rostselmash's CEO Valery Maltsev spoke.")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Valery Maltsev", "Rostselmash")}
    assert facts(ex, "LOCATED_IN") == {("LOCATED_IN", "Bashkortostan's oil refining cluster", "RU-BA")}
    assert facts(run("Russia's President Vladimir Putin spoke."), "HOLDS_POST") == set()


def test_quoted_legal_form_names_in_a_member_list_and_a_quoted_coordinator() -> None:
    ex = run(
        "The Samara cable cluster was created in 2021. Already the cluster includes the companies "
        'LLC "Volga Polymer", JSC "Samara Cable" and LLC "Tolyatti Synthesis", as well as Syzran Technical '
        'School. The specialized organization of the cluster is NO "Samara Cluster Development Center", '
        "which will advise the participants."
    )
    cluster = "Samara cable cluster"
    assert facts(ex, "MEMBER_OF") == {
        ("MEMBER_OF", "Volga Polymer", cluster),
        ("MEMBER_OF", "Samara Cable", cluster),
        ("MEMBER_OF", "Tolyatti Synthesis", cluster),
        ("MEMBER_OF", "Syzran Technical School", cluster),
    }
    assert facts(ex, "COORDINATES") == {("COORDINATES", "Samara Cluster Development Center", cluster)}


def test_cyrillic_alias_of_a_person_uses_the_given_name_table() -> None:
    ex = run("Voronezh Oblast Governor Alexander Gusev and Governor Igor Artamonov met in Lipetsk.")
    gusev = entity(ex, "Official", "Alexander Gusev")
    assert "Александр Гусев" in gusev.aliases and "Александер Гусев" not in gusev.aliases
    assert "Игорь Артамонов" in entity(ex, "Official", "Igor Artamonov").aliases


def test_person_with_a_given_name_only_in_the_table() -> None:
    ex = run("The plant was visited by Afanasy Kuzmin, director of the regional agency.")
    assert "Afanasy Kuzmin" in names(ex, "Official")


def test_member_list_without_legal_forms_after_among_them() -> None:
    ex = run(
        "The Ural Forging Cluster was registered in May. Members of the cluster, among them Kamensk Forge, "
        "Uralkuznitsa, Sinara Castings and Chelyabinsk Press Works, employ 9,000 people."
    )
    members = {f for t, f, c in facts(ex, "MEMBER_OF") if c == "Ural Forging Cluster"}
    assert members == {"Kamensk Forge", "Uralkuznitsa", "Sinara Castings", "Chelyabinsk Press Works"}


def test_member_list_after_admitted_with_a_count_and_appended_names() -> None:
    ex = run(
        "The Volga Cable Cluster has admitted three new members: Saransk Cable Plant Optika, "
        "Kazan-based Elkabel and Kamkabel."
    )
    members = {f for t, f, c in facts(ex, "MEMBER_OF")}
    assert members == {"Saransk Cable Plant", "Elkabel", "Kamkabel"}


def test_comma_list_and_is_not_inside_a_name() -> None:
    ex = run("The Penza Instrument Cluster unites Penza Instruments, Sura Composites and Volga Tool Works.")
    assert {"Sura Composites", "Volga Tool Works"} <= names(ex, "Enterprise")
    assert "Sura Composites and Volga Tool Works" not in names(ex, "Enterprise")


def test_the_new_association_refers_to_the_cluster() -> None:
    ex = run(
        "The Oka Machine-Tool Cluster was registered. "
        "Stankomash will serve as the anchor enterprise of the new association."
    )
    assert ("ANCHORS", "Stankomash", "Oka Machine-Tool Cluster") in facts(ex)


def test_regional_fund_named_by_a_city_word_is_not_the_federal_fund() -> None:
    ex = run("The Penza Industrial Development Fund became the coordinator of the Penza Instrument Cluster.")
    assert "Penza Industrial Development Fund" in names(ex, "Institution")
    assert "Industrial Development Fund" not in names(ex, "Institution")


def test_anchor_subject_before_an_apposition_naming_the_owner() -> None:
    ex = run(
        "The Volga Bus Cluster was registered. The Likino Bus Plant, a branch of PJSC GAZ Group, "
        "is the core enterprise of the cluster."
    )
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Likino Bus Plant", "Volga Bus Cluster")}


def test_anchor_named_passive_with_an_unknown_subject_and_a_known_owner() -> None:
    ex = run(
        "The Pskov Cable Cluster was set up. Velikie Luki Cables, a subsidiary of the Sevkabel group, "
        "was designated the anchor company."
    )
    assert facts(ex, "ANCHORS") == {("ANCHORS", "Velikie Luki Cables", "Pskov Cable Cluster")}


def test_it_was_signed_refers_to_the_agreement_of_the_previous_sentence() -> None:
    ex = run(
        "A partnership agreement was concluded between the Government of Tver Oblast and Tver State "
        "Technical University on March 3 in Tver. It was signed by Governor Igor Rudenya and rector "
        "Andrey Tkachenko."
    )
    signed = {f for _, f, _ in facts(ex, "SIGNED")}
    assert signed == {"Igor Rudenya", "Andrey Tkachenko"}
    assert "Tver State Technical University" in names(ex, "Institution")  # not "… on March"
    (agreement,) = names(ex, "Agreement")
    assert not agreement.endswith("in Tver")


def test_governor_and_regional_minister_without_a_place_serve_the_documents_region() -> None:
    ex = run(
        "The Vologda Timber Cluster was set up in Vologda Oblast. The agreement was signed by Governor "
        "Georgy Filimonov. \"It matters,\" said regional forestry minister Oleg Kuvshinnikov."
    )
    posts = facts(ex, "HOLDS_POST")
    assert ("HOLDS_POST", "Georgy Filimonov", "RU-VLG") in posts
    assert ("HOLDS_POST", "Oleg Kuvshinnikov", "RU-VLG") in posts


def test_governor_takes_the_region_of_the_datelines_city_among_several() -> None:
    ex = run(
        "VOLOGDA, May 5, 2024 — Companies of Vologda Oblast and Arkhangelsk Oblast formed a cluster. "
        "Governor Georgy Filimonov welcomed it."
    )
    assert ("HOLDS_POST", "Georgy Filimonov", "RU-VLG") in facts(ex, "HOLDS_POST")


def test_federal_minister_without_regional_is_not_given_a_region() -> None:
    ex = run("The Vologda Timber Cluster was set up in Vologda Oblast. Minister Anton Alikhanov praised it.")
    assert not facts(ex, "HOLDS_POST")


def test_headed_by_rector_names_the_university() -> None:
    ex = run(
        "The cluster will admit Vologda State University, headed by rector Nikolai Tochilin, and "
        "Cherepovets State University."
    )
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Nikolai Tochilin", "Vologda State University")}


def test_regional_minister_in_a_sentence_with_two_regions_gets_none() -> None:
    ex = run(
        "OMSK, May 5, 2024 — Omsk Oblast and Tomsk Oblast signed a memorandum; the other side was "
        "represented by the regional industry minister Pavel Sokolov."
    )
    assert not facts(ex, "HOLDS_POST")


def test_headline_cluster_in_other_words_is_the_one_cluster_of_the_body() -> None:
    ex = run(
        "Omsk petrochemical cluster gets support\n\n"
        "The Omsk Oil Refining Cluster has been included in the register. Omsk State Technical University "
        "is also a participant."
    )
    assert names(ex, "Cluster") == {"Omsk Oil Refining Cluster"}
    assert ("MEMBER_OF", "Omsk State Technical University", "Omsk Oil Refining Cluster") in facts(ex)


def test_headline_cluster_of_another_place_stays_apart() -> None:
    ex = run("Kazan plastics cluster grows\n\nThe Omsk Oil Refining Cluster has admitted Omsktechuglerod.")
    assert names(ex, "Cluster") == {"Kazan plastics cluster", "Omsk Oil Refining Cluster"}
    assert facts(ex, "MEMBER_OF") == {("MEMBER_OF", "Omsktechuglerod", "Omsk Oil Refining Cluster")}


def test_legal_form_after_an_unmarked_list_item_is_split_off() -> None:
    ex = run("The Pskov Cable Cluster was set up. Its participants are Pskovkabel LLC and Velikie Luki Cables.")
    assert entity(ex, "Enterprise", "Pskovkabel").props.get("legalForm") == "LLC"
    assert ("MEMBER_OF", "Pskovkabel", "Pskov Cable Cluster") in facts(ex)


def test_headline_verb_set_up_ends_a_cluster_name() -> None:
    ex = run("Mordovia sets up optics cluster\n\nThe optics cluster will unite 10 companies.")
    assert "Mordovia sets up optics cluster" not in names(ex, "Cluster")


def test_founders_and_founded_by_are_members() -> None:
    ex = run(
        "A glass cluster is being created in Vladimir Oblast. Its founders are Gusevskoy Steklo, Krasny Mai "
        "and Ryazan Glassworks."
    )
    assert {f for _, f, _ in facts(ex, "MEMBER_OF")} == {"Gusevskoy Steklo", "Krasny Mai", "Ryazan Glassworks"}
    ex = run("The Klin Glass Cluster was founded by Klinstroysteklo and Steklomash.")
    assert {f for _, f, _ in facts(ex, "MEMBER_OF")} == {"Klinstroysteklo", "Steklomash"}


def test_gazetteer_company_inside_a_longer_name_is_not_that_company() -> None:
    ex = run("Gazprom Neftekhim Salavat has not decided. Gazprom CEO Alexey Miller agreed.")
    assert ("HOLDS_POST", "Alexey Miller", "Gazprom") in facts(ex)
    assert len([e for e in ex.entities if e.name == "Gazprom"]) == 1


def test_tatar_given_name_from_the_table_makes_a_person() -> None:
    ex = run("The centre, whose director is Ilnur Gabitov, will run the Ufa Chemical Cluster.")
    assert "Ilnur Gabitov" in names(ex, "Official")


def test_two_clusters_ending_in_the_same_industry_word_are_one() -> None:
    ex = run(
        "A cluster of marine electronics has been set up in Murmansk Oblast. Its participants are "
        "Morpribor and Sevmorsvyaz. The Murmansk Electronics Cluster will apply for subsidies."
    )
    assert names(ex, "Cluster") == {"Murmansk Electronics Cluster"}
    assert ("MEMBER_OF", "Morpribor", "Murmansk Electronics Cluster") in facts(ex)


def test_two_clusters_of_different_industries_stay_apart() -> None:
    ex = run("The Kaluga pharmaceutical cluster and the Kaluga Automotive Cluster signed a memorandum.")
    assert names(ex, "Cluster") == {"Kaluga pharmaceutical cluster", "Kaluga Automotive Cluster"}


def test_founding_members_with_a_place_word_name_and_a_subsidiary() -> None:
    ex = run(
        "Kamchatka Krai has launched a geothermal cluster. The founding members are Kamchatka Energy, "
        "RusHydro's subsidiary Geoterm and Kamchatka State Technical University."
    )
    members = {f for _, f, _ in facts(ex, "MEMBER_OF")}
    assert members == {"Kamchatka Energy", "Geoterm", "Kamchatka State Technical University"}


def test_may_join_later_is_no_membership() -> None:
    ex = run("The Kamchatka Geothermal Cluster was set up. Rosatom is not among the participants, but it may join later.")
    assert not facts(ex, "MEMBER_OF")


def test_whose_director_names_the_post_of_the_organisation_before() -> None:
    ex = run("The cluster is run by the Udmurt Industry Center, whose director, Ilnur Valiev, expects growth.")
    assert facts(ex, "HOLDS_POST") == {("HOLDS_POST", "Ilnur Valiev", "Udmurt Industry Center")}


# ---- blind-set failure categories (own sentences) ---------------------------------------------------

_INTRO = "The Volga Polymer Cluster was set up in Samara Oblast in 2023. "


@pytest.mark.parametrize(
    "sentence",
    [
        "The newcomers are Volzhsky Pipe Plant, Togliattikauchuk and Syzran Polymer LLC.",
        "The new participants are Volzhsky Pipe Plant, Togliattikauchuk and Syzran Polymer LLC.",
        "Volzhsky Pipe Plant, Togliattikauchuk and Syzran Polymer LLC are to join the cluster.",
        "The governor said that Volzhsky Pipe Plant, Togliattikauchuk and Syzran Polymer LLC are members.",
    ],
)
def test_membership_list_phrasings(sentence: str) -> None:
    got = facts(run(_INTRO + sentence), "MEMBER_OF")
    for member in ("Volzhsky Pipe Plant", "Togliattikauchuk", "Syzran Polymer"):
        assert ("MEMBER_OF", member, "Volga Polymer Cluster") in got


def test_single_unknown_company_will_join_but_not_has_not_joined() -> None:
    assert ("MEMBER_OF", "Togliattikauchuk", "Volga Polymer Cluster") in facts(
        run(_INTRO + "Togliattikauchuk will join the cluster next year."), "MEMBER_OF"
    )
    assert facts(run(_INTRO + "Togliattikauchuk has not joined the cluster."), "MEMBER_OF") == set()


def test_anchor_remains_and_coordinator_phrasings() -> None:
    assert ("ANCHORS", "Togliattikauchuk", "Volga Polymer Cluster") in facts(
        run(_INTRO + "The anchor enterprise of the cluster remains Togliattikauchuk."), "ANCHORS"
    )
    for sentence in (
        "The Samara Industrial Development Fund will manage the cluster.",
        "The Samara Industrial Development Fund remains the specialised organisation.",
    ):
        assert ("COORDINATES", "Samara Industrial Development Fund", "Volga Polymer Cluster") in facts(
            run(_INTRO + sentence), "COORDINATES"
        )


def test_legal_form_after_the_name() -> None:
    ex = run("Chaplygin Foundry LLC and Kola Trawl Fleet JSC opened a lab with Samara State Technical University.")
    assert entity(ex, "Enterprise", "Chaplygin Foundry").props["legalForm"] == "LLC"
    assert entity(ex, "Enterprise", "Kola Trawl Fleet").props["legalForm"] == "JSC"
    assert "Samara State Technical University" in names(ex, "Institution")


def test_post_of_an_unknown_company_after_said() -> None:
    ex = run(_INTRO + '"We will grow," said Ivan Sokolov, CEO of Togliattikauchuk.')
    assert ("HOLDS_POST", "Ivan Sokolov", "Togliattikauchuk") in facts(ex, "HOLDS_POST")


@pytest.mark.parametrize(
    "ministry",
    [
        "Ministry of Fisheries and Agro-Industrial Complex of Samara Oblast",
        "Ministry of Investment, Industry and Science of Samara Oblast",
    ],
)
def test_long_ministry_names_stay_whole(ministry: str) -> None:
    remit = ministry.removeprefix("Ministry of ")
    ex = run(_INTRO + f"Ivan Sokolov, Minister of {remit}, opened the forum. The {ministry} supports it.")
    assert ("HOLDS_POST", "Ivan Sokolov", ministry) in facts(ex, "HOLDS_POST")
    assert ministry in names(ex, "Institution")
    assert names(ex, "Enterprise") == set()


def test_city_based_descriptor_is_not_in_the_name() -> None:
    ex = run(_INTRO + "Samara-based Volzhsky Pipe Plant and Samara-based Togliattikauchuk will join the cluster.")
    assert names(ex, "Enterprise") == {"Volzhsky Pipe Plant", "Togliattikauchuk"}


def test_sez_named_after_a_town_is_in_its_gazetteer_region() -> None:
    ex = run(_INTRO + "Residents of the Dubna SEZ joined the cluster.")
    got = facts(ex, "LOCATED_IN")
    assert ("LOCATED_IN", "Dubna SEZ", "RU-MOS") in got
    assert ("LOCATED_IN", "Dubna SEZ", "RU-SAM") not in got


@pytest.mark.parametrize(
    "sentence",
    [
        "The cluster was joined by Togliattikauchuk and Kuibyshev Azot.",
        "The cluster now has 12 members, including Togliattikauchuk and Kuibyshev Azot.",
    ],
)
def test_inverse_membership_joined_by_and_has_n_members_including(sentence: str) -> None:
    got = facts(run(_INTRO + sentence), "MEMBER_OF")
    assert {
        ("MEMBER_OF", "Togliattikauchuk", "Volga Polymer Cluster"),
        ("MEMBER_OF", "Kuibyshev Azot", "Volga Polymer Cluster"),
    } <= got


def test_possessive_anchor_and_appointed_to_coordinate() -> None:
    assert ("ANCHORS", "Togliattikauchuk", "Volga Polymer Cluster") in facts(
        run(_INTRO + "Togliattikauchuk became the cluster's anchor company."), "ANCHORS"
    )
    ex = run(_INTRO + "The Samara Industrial Development Fund was appointed to coordinate the cluster.")
    assert ("COORDINATES", "Samara Industrial Development Fund", "Volga Polymer Cluster") in facts(
        ex, "COORDINATES"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Togliattikauchuk LLC has yet to join the cluster.",
        "Togliattikauchuk LLC declined to join the cluster.",
        "Togliattikauchuk LLC has not joined the cluster.",
    ],
)
def test_refused_or_pending_membership_is_no_membership(sentence: str) -> None:
    ex = run(_INTRO + sentence)
    assert "Togliattikauchuk" in names(ex, "Enterprise")
    assert facts(ex, "MEMBER_OF") == set()


@pytest.mark.parametrize("company", ["Kuibyshev Azot", "Volzhsky Pipe Plant"])
def test_member_from_a_town_of_a_region(company: str) -> None:
    ex = run(_INTRO + f"{company} from Tolyatti of Samara Oblast joined the cluster.")
    assert ("MEMBER_OF", company, "Volga Polymer Cluster") in facts(ex, "MEMBER_OF")
    assert ("LOCATED_IN", company, "RU-SAM") in facts(ex, "LOCATED_IN")


def test_two_known_institutions_before_are_also_members() -> None:
    ex = run(_INTRO + "Samara State Technical University and Togliatti State University are also members.")
    got = facts(ex, "MEMBER_OF")
    assert ("MEMBER_OF", "Samara State Technical University", "Volga Polymer Cluster") in got
    assert ("MEMBER_OF", "Togliatti State University", "Volga Polymer Cluster") in got


def test_title_case_headline_description_does_not_name_the_cluster() -> None:
    ex = run(
        "Samara Oblast Creates Equipment Cluster\n\n"
        "An oil and gas equipment cluster was created in Samara Oblast. Togliattikauchuk joined the cluster."
    )
    assert names(ex, "Cluster") == {"oil and gas equipment cluster"}
    assert ("MEMBER_OF", "Togliattikauchuk", "oil and gas equipment cluster") in facts(ex, "MEMBER_OF")


def test_cluster_anchored_by() -> None:
    ex = run(_INTRO + "The cluster is anchored by Togliattikauchuk and Kuibyshev Azot.")
    assert {
        ("ANCHORS", "Togliattikauchuk", "Volga Polymer Cluster"),
        ("ANCHORS", "Kuibyshev Azot", "Volga Polymer Cluster"),
    } <= facts(ex, "ANCHORS")


def test_unknown_subject_before_an_apposition_joins() -> None:
    ex = run(_INTRO + "Kuibyshev Azot, a producer of caprolactam, joined the cluster.")
    assert ("MEMBER_OF", "Kuibyshev Azot", "Volga Polymer Cluster") in facts(ex, "MEMBER_OF")


def test_sentence_opening_members_include() -> None:
    ex = run(_INTRO + "Members include Kuibyshev Azot LLC and Togliatti State University.")
    assert {
        ("MEMBER_OF", "Kuibyshev Azot", "Volga Polymer Cluster"),
        ("MEMBER_OF", "Togliatti State University", "Volga Polymer Cluster"),
    } <= facts(ex, "MEMBER_OF")


def test_two_names_around_and_before_a_company_head_are_two() -> None:
    ex = run(_INTRO + "Kuibyshev Azot and Samara Polymer Group joined the cluster. Oil and Gas Group opened a plant.")
    assert {"Kuibyshev Azot", "Samara Polymer Group", "Oil and Gas Group"} <= names(ex, "Enterprise")
    assert "Kuibyshev Azot and Samara Polymer Group" not in names(ex, "Enterprise")
