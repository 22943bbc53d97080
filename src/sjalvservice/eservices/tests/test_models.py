import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from sjalvservice.accounts.models import User
from sjalvservice.eservices.definitions import DefinitionError, content_hash, parse_definition
from sjalvservice.eservices.models import EService, EServiceVersion
from sjalvservice.eservices.services import PublishError, publish_version
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION, make_eservice


def changed(definition, title):
    return {**definition, "title": title}


@pytest.fixture
def unpublished(skelleftea, building):
    return make_eservice(skelleftea, building, slug="ny", title="Ny tjänst", published=False)


def test_published_means_active_in_an_active_municipality_with_a_version(
    skelleftea, lycksele, building, building_permit
):
    make_eservice(skelleftea, building, slug="unpublished", title="U", published=False)
    make_eservice(skelleftea, building, slug="inactive", title="I", is_active=False)
    make_eservice(lycksele, building, slug="closed", title="C")
    lycksele.is_active = False
    lycksele.save()
    assert list(EService.objects.published()) == [building_permit]


def test_an_e_service_with_several_versions_is_listed_once(building_permit):
    publish_version(building_permit, changed(SIMPLE_DEFINITION, "Version två"))
    assert EService.objects.published().count() == 1


def test_querysets_select_by_municipality_and_category(
    building_permit, fault_report, lycksele, streets
):
    assert list(EService.objects.for_municipality(lycksele)) == [fault_report]
    assert list(EService.objects.in_category(streets)) == [fault_report]


def test_the_current_version_is_the_latest(building_permit):
    second = publish_version(building_permit, changed(SIMPLE_DEFINITION, "Två"))
    assert EService.objects.get(pk=building_permit.pk).current_version == second
    assert building_permit.current_version == second


def test_an_unpublished_e_service_has_no_current_version(unpublished):
    assert unpublished.current_version is None


def test_the_search_text_is_kept_on_save(building_permit):
    lines = building_permit.search_text.split("\n")
    assert lines[0] == "anmalan om bygglov"
    assert lines[1] == "tillbyggnad attefallshus garage"
    assert "ritningar" in lines[2]


def test_keywords_may_be_written_per_line_or_comma_separated(building_permit):
    assert building_permit.keyword_list == ["tillbyggnad", "attefallshus", "garage"]


def test_the_description_is_split_into_paragraphs_at_blank_lines(building_permit):
    assert building_permit.description_paragraphs == [
        "Du behöver bygglov för att bygga ett hus.",
        "Bifoga ritningar.",
    ]


def test_the_addresses_of_an_e_service(building_permit):
    assert building_permit.get_absolute_url() == "/tjanster/bygglov/"
    assert building_permit.start_url == "/tjanster/bygglov/starta/"
    assert str(building_permit) == "Anmälan om bygglov"


def test_a_published_version_refuses_to_change(building_permit):
    version = building_permit.versions.get()
    version.definition = changed(version.definition, "Ändrad")
    with pytest.raises(ValueError, match="cannot be changed"):
        version.save()
    version.refresh_from_db()
    version.save()  # saving it unchanged is harmless


def test_version_numbers_and_contents_are_unique_per_e_service(building_permit):
    version = building_permit.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EServiceVersion.objects.create(eservice=building_permit, number=1, definition={},
                                       content_hash="f" * 64)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        EServiceVersion.objects.create(eservice=building_permit, number=2, definition={},
                                       content_hash=version.content_hash)  # fmt: skip


def test_publishing_a_first_version_stores_the_checked_definition(unpublished, cecilia):
    version = publish_version(unpublished, SIMPLE_DEFINITION, by=cecilia)
    assert version.number == 1
    assert version.published_by == cecilia
    definition = parse_definition(SIMPLE_DEFINITION)
    assert version.definition == definition.to_document()
    assert version.content_hash == content_hash(definition)
    assert len(version.content_hash) == 64


def test_publishing_the_same_definition_again_changes_nothing(unpublished):
    first = publish_version(unpublished, SIMPLE_DEFINITION)
    again = publish_version(unpublished, SIMPLE_DEFINITION)
    assert again == first
    assert unpublished.versions.count() == 1


def test_publishing_a_changed_definition_makes_the_next_version(unpublished):
    publish_version(unpublished, SIMPLE_DEFINITION)
    second = publish_version(unpublished, changed(SIMPLE_DEFINITION, "Ändrad"))
    assert second.number == 2
    assert unpublished.current_version == second


def test_an_invalid_definition_is_refused_and_nothing_is_published(unpublished):
    with pytest.raises(DefinitionError) as caught:
        publish_version(unpublished, {"schema_version": 1, "title": "Tom", "steps": []})
    assert caught.value.problems
    assert not unpublished.versions.exists()


def test_going_back_to_an_older_definition_is_refused_with_an_explanation(unpublished):
    publish_version(unpublished, SIMPLE_DEFINITION)
    publish_version(unpublished, changed(SIMPLE_DEFINITION, "Ändrad"))
    with pytest.raises(PublishError, match="samma som version 1"):
        publish_version(unpublished, SIMPLE_DEFINITION)
    assert unpublished.versions.count() == 2


def test_a_deleted_publisher_leaves_the_version_in_place(unpublished):
    user = User.objects.create_user("tillfällig", "a-long-test-password")
    version = publish_version(unpublished, SIMPLE_DEFINITION, by=user)
    user.delete()
    version.refresh_from_db()
    assert version.published_by is None


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite serialises writers itself"
)
def test_publishing_locks_the_e_service_row_so_publishers_take_turns(unpublished):
    with CaptureQueriesContext(connection) as queries:
        publish_version(unpublished, SIMPLE_DEFINITION)
    assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)
