import pytest

from sjalvservice.eservices.models import Category, EService
from sjalvservice.eservices.search import (
    build_search_text,
    collation_key,
    edit_distance,
    fold,
    query_words,
    rank,
    stem,
    words,
)
from sjalvservice.eservices.selectors import search_catalogue
from sjalvservice.eservices.tests.conftest import make_eservice


@pytest.fixture
def catalogue(skelleftea, lycksele):
    building = Category.objects.create(name="Bygga och bo", slug="bygga-och-bo")
    business = Category.objects.create(name="Näringsliv", slug="naringsliv")
    leisure = Category.objects.create(name="Fritid och kultur", slug="fritid")
    streets = Category.objects.create(name="Gator och parker", slug="gator")
    democracy = Category.objects.create(name="Demokrati och påverkan", slug="demokrati")
    make_eservice(
        skelleftea, building, slug="bygglov", title="Anmälan om bygglov",
        short_description="Sök bygglov för att bygga nytt eller bygga till.",
        keywords="tillbyggnad, attefallshus, garage",
    )  # fmt: skip
    make_eservice(
        skelleftea, business, slug="servering", title="Ansökan om serveringstillstånd",
        short_description="Sök tillstånd att servera alkohol.", keywords="alkohol, krog",
    )  # fmt: skip
    make_eservice(
        lycksele, streets, slug="felanmalan", title="Felanmälan gata och park",
        short_description="Anmäl fel på gator och i parker.", keywords="gatlykta\npotthål",
    )  # fmt: skip
    make_eservice(
        lycksele, leisure, slug="boka-lokal", title="Boka lokal",
        short_description="Hyr en lokal för möten och fest.", keywords="sammanträdesrum",
    )  # fmt: skip
    make_eservice(
        lycksele, leisure, slug="batplats", title="Ansökan om båtplats",
        short_description="Ställ dig i kö till en plats i småbåtshamnen.", keywords="brygga",
    )  # fmt: skip
    make_eservice(
        skelleftea, democracy, slug="medborgarforslag", title="Medborgarförslag",
        short_description="Lämna ett förslag till kommunfullmäktige.", keywords="idé",
    )  # fmt: skip


def slugs(query, **filters):
    return [eservice.slug for eservice in search_catalogue(query, **filters)]


def test_it_folds_case_and_diacritics():
    assert fold("Skellefteå ÄLVEN Café Ørn") == "skelleftea alven cafe orn"


def test_it_splits_hyphenated_words_and_keeps_them_joined_too():
    assert words("E-tjänst, bygglov!") == ["e", "tjanst", "etjanst", "bygglov"]


def test_the_stemmer_strips_common_swedish_endings_of_long_words_only():
    assert stem("bygglovet") == "bygglov"
    assert stem("lokalerna") == "lokal"
    assert stem("lokaler") == "lokal"
    assert stem("parkens") == "park"
    assert stem("park") == "park"
    assert stem("lokal") == "lokal"


def test_edit_distance_stops_early_beyond_the_limit():
    assert edit_distance("bygglof", "bygglov", 1) == 1
    assert edit_distance("kitten", "sitting", 2) == 3  # 3 = limit + 1
    assert edit_distance("a", "abcdef", 2) == 3


def test_stop_words_are_dropped_and_the_query_is_bounded():
    assert query_words("Ansökan om bygglov och") == ["ansokan", "bygglov"]
    assert len(query_words(" ".join(f"ord{index}" for index in range(50)))) == 8


def test_the_stored_search_text_has_a_line_each_for_title_keywords_and_descriptions():
    text = build_search_text(
        title="Boka lokal", keywords="hyra, sal\nfest", descriptions=["Hyr en lokal.", ""]
    )
    assert text.split("\n") == ["boka lokal", "hyra sal fest", "hyr en lokal"]


def test_swedish_order_puts_a_ring_a_umlaut_o_umlaut_after_z():
    titles = ["Öppettider", "Ansökan", "Zon", "Ärende", "Åtgärd", "éxempel"]
    assert sorted(titles, key=collation_key) == [
        "Ansökan", "éxempel", "Zon", "Åtgärd", "Ärende", "Öppettider",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bygglof", "bygglov"),
        ("serveringstilstånd", "servering"),
        ("serveringstilstand", "servering"),
        ("medborgarforslg", "medborgarforslag"),
    ],
)
def test_it_forgives_misspellings(catalogue, query, expected):
    assert slugs(query)[0] == expected


def test_it_finds_words_written_without_a_ring_or_umlauts(catalogue):
    assert slugs("felanmalan") == ["felanmalan"]
    assert slugs("batplats") == ["batplats"]


def test_it_finds_the_e_services_of_a_municipality_by_its_name_unaccented(catalogue):
    assert set(slugs("skelleftea")) == {"bygglov", "servering", "medborgarforslag"}


@pytest.mark.parametrize(
    ("query", "expected"), [("bygglovet", "bygglov"), ("lokaler", "boka-lokal"),
                            ("lokalerna", "boka-lokal"), ("parkerna", "felanmalan")]
)  # fmt: skip
def test_it_finds_other_forms_of_a_word(catalogue, query, expected):
    assert slugs(query)[0] == expected


def test_it_finds_e_services_by_the_synonyms_in_their_keywords(catalogue):
    assert slugs("gatlykta") == ["felanmalan"]
    assert slugs("Attefallshus") == ["bygglov"]
    assert slugs("potthål") == ["felanmalan"]


def test_it_finds_a_word_from_its_beginning(catalogue):
    assert slugs("bygg") == ["bygglov"]
    assert slugs("serv") == ["servering"]
    assert slugs("medborg") == ["medborgarforslag"]


def test_it_finds_the_parts_of_compound_words(catalogue):
    assert slugs("tillstånd")[0] == "servering"
    assert slugs("hamn") == ["batplats"]  # "småbåtshamnen"
    assert slugs("bygglov") == ["bygglov"]  # "Anmälan om bygglov"


def test_a_close_match_hides_loose_ones(catalogue):
    # "anmälan" is part of "felanmälan", but whoever types felanmälan wants that one.
    assert slugs("felanmälan") == ["felanmalan"]


def test_every_word_must_match_when_some_e_service_matches_them_all(catalogue):
    assert slugs("bygglov skellefteå") == ["bygglov"]
    assert slugs("Ansökan om båtplats") == ["batplats"]


def test_when_no_e_service_matches_every_word_the_best_partial_matches_are_shown(catalogue):
    assert slugs("bygglov blomsterlåda") == ["bygglov"]


def test_it_finds_nothing_for_words_that_match_nothing(catalogue):
    assert slugs("xyzzy") == []


def test_an_empty_query_lists_everything_in_swedish_title_order(catalogue):
    assert slugs("") == [
        "bygglov", "batplats", "servering", "boka-lokal", "felanmalan", "medborgarforslag",
    ]  # fmt: skip
    assert len(slugs("och om")) == 6


def test_filters_narrow_the_search(catalogue, lycksele):
    assert slugs("ansökan", municipality=lycksele) == ["batplats"]
    leisure = Category.objects.get(slug="fritid")
    assert slugs("", category=leisure) == ["batplats", "boka-lokal"]


def test_title_matches_rank_over_keyword_matches_over_description_matches(skelleftea):
    category = Category.objects.create(name="Övrigt", slug="ovrigt")
    make_eservice(skelleftea, category, slug="c", title="Ärende C", description="Om snöröjning.")
    make_eservice(skelleftea, category, slug="a", title="Snöröjning")
    make_eservice(skelleftea, category, slug="b", title="Ärende B", keywords="snöröjning")
    assert slugs("snöröjning") == ["a", "b", "c"]


def test_a_better_match_in_the_same_field_ranks_higher(skelleftea):
    category = Category.objects.create(name="Övrigt", slug="ovrigt")
    make_eservice(skelleftea, category, slug="prefix", title="Parkeringstillstånd")
    make_eservice(skelleftea, category, slug="exact", title="Park och natur")
    assert slugs("park") == ["exact", "prefix"]


def test_unpublished_and_inactive_e_services_are_never_found(skelleftea, lycksele):
    category = Category.objects.create(name="Övrigt", slug="ovrigt")
    make_eservice(skelleftea, category, slug="draft", title="Bygglov", published=False)
    make_eservice(skelleftea, category, slug="off", title="Bygglov", is_active=False)
    make_eservice(lycksele, category, slug="closed-municipality", title="Bygglov")
    lycksele.is_active = False
    lycksele.save()
    assert slugs("bygglov") == []


def test_search_text_follows_the_title_when_it_is_saved(skelleftea):
    category = Category.objects.create(name="Övrigt", slug="ovrigt")
    eservice = make_eservice(skelleftea, category, slug="x", title="Gammal rubrik")
    eservice.title = "Bygglov"
    eservice.save(update_fields=["title"])
    eservice.refresh_from_db()
    assert eservice.search_text.startswith("bygglov\n")


def test_a_search_costs_one_query_however_many_e_services_there_are(
    skelleftea, django_assert_num_queries
):
    category = Category.objects.create(name="Övrigt", slug="ovrigt")
    for index in range(50):
        make_eservice(skelleftea, category, slug=f"tjanst-{index}", title=f"Tjänst {index}",
                      description="En lång beskrivning av tjänsten " * 20)  # fmt: skip
    with django_assert_num_queries(1):
        assert len(search_catalogue("tjanst")) == 50


def test_rank_accepts_any_iterable_of_e_services(catalogue):
    eservices = list(EService.objects.select_related("municipality", "category"))
    assert [eservice.slug for eservice in rank(eservices, "bygglof")] == ["bygglov"]
