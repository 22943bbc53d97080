"""The back office's main menu: the inbox for handlers, "Administrera" for administrators."""

import re

from django.urls import reverse


def menu(response):
    """The main menu's links as (href, aria-current, label)."""
    html = response.content.decode()
    nav = re.search(
        r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', html, re.S
    )
    assert nav is not None
    return re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]*)"(?: aria-current="(\w+)")?>'
        r"(?:<strong[^>]*>)?([^<]*)",
        nav.group(1),
    )


def test_the_login_page_has_no_menu_and_logs_in_to_the_back_office(client, db):
    response = client.get(reverse("backoffice:login"))
    assert menu(response) == []
    assert f'sjs-account__login" href="{reverse("backoffice:login")}"' in response.content.decode()


def test_a_handler_has_the_inbox_as_the_current_page(client, staff_login, julia):
    staff_login(client, julia)
    response = client.get(reverse("backoffice:inbox"))
    assert menu(response) == [
        (reverse("backoffice:inbox"), "page", "Inkorg"),
        (reverse("backoffice:reservations"), "", "Köer och bokningar"),
        (reverse("backoffice:notification_settings"), "", "Mina notiser"),
    ]


def test_mina_notiser_is_in_the_menu(client, staff_login, julia):
    staff_login(client, julia)
    response = client.get(reverse("backoffice:notification_settings"))
    assert menu(response)[2] == (
        reverse("backoffice:notification_settings"),
        "page",
        "Mina notiser",
    )


def test_a_case_belongs_to_the_inbox(client, staff_login, julia, annas_case):
    staff_login(client, julia)
    response = client.get(reverse("backoffice:case", args=[annas_case.number]))
    assert response.status_code == 200
    assert menu(response) == [
        (reverse("backoffice:inbox"), "true", "Inkorg"),
        (reverse("backoffice:reservations"), "", "Köer och bokningar"),
        (reverse("backoffice:notification_settings"), "", "Mina notiser"),
    ]


def test_a_queue_belongs_to_koer_och_bokningar(client, staff_login, julia, suggestion):
    from sjalvservice.reservations.models import Queue

    queue = Queue.objects.create(municipality=suggestion.municipality, name="Lotter", slug="lotter")
    suggestion.queues.add(queue)
    staff_login(client, julia)
    response = client.get(reverse("backoffice:queue", args=[queue.pk]))
    assert (reverse("backoffice:reservations"), "true", "Köer och bokningar") in menu(response)


def test_an_administrator_also_has_administrera(client, staff_login, karin):
    staff_login(client, karin)
    response = client.get(reverse("backoffice:manage_handlers"))
    assert menu(response) == [
        (reverse("backoffice:inbox"), "", "Inkorg"),
        (reverse("backoffice:reservations"), "", "Köer och bokningar"),
        (reverse("backoffice:notification_settings"), "", "Mina notiser"),
        (reverse("backoffice:manage"), "true", "Administrera"),
    ]


def test_outside_the_back_office_staff_see_the_citizens_menu(client, staff_login, julia):
    staff_login(client, julia)
    response = client.get(reverse("eservices:home"))
    assert [label for _href, _current, label in menu(response)] == ["Tjänster", "Mina sidor"]
