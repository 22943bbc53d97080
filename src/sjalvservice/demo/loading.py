"""Create the demo data of ``sjalvservice.demo.data`` where it is missing.

Every function leaves what is already there alone and returns whether it created anything,
so that loading twice changes nothing.
"""

from __future__ import annotations

import base64
import datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import Profile, User
from sjalvservice.api import clients
from sjalvservice.api.models import ApiClient, Scope
from sjalvservice.backoffice.models import Assignment, HandlerGroup, ReplyTemplate
from sjalvservice.backoffice.services import Actor
from sjalvservice.core.models import Municipality
from sjalvservice.demo.data import (
    CITIZEN_PROFILES,
    CITIZENS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    FEATURED_ESERVICES,
    HANDLER_GROUPS,
    HANDLERS_OF_EVERY_ESERVICE,
    MUNICIPALITIES,
    QUEUES,
    REPLY_TEMPLATES,
    RESOURCES,
    STAFF,
)
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.transfer import demo_files, import_eservice_file
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Queue, Resource

LOGOS = Path(__file__).parent / "logos"


@transaction.atomic
def load_demo_data() -> bool:
    """Create whatever of the demo data is missing; return whether anything was created."""
    created_any = load_municipalities()
    created_any |= load_staff()
    created_any |= enrol_staff()
    created_any |= load_citizens()
    # Before the e-services: publishing one checks that its queue or resource exists.
    created_any |= load_queues_and_resources()
    created_any |= load_eservices()
    created_any |= assign_eservices()
    created_any |= add_reply_templates()
    created_any |= connect_case_system()
    return created_any


def load_municipalities() -> bool:
    created_any = False
    for fields in MUNICIPALITIES:
        municipality, created = Municipality.objects.get_or_create(
            slug=fields["slug"], defaults=fields
        )
        created_any |= created
        if not municipality.host:
            # A demo database from before the municipalities had their own sites.
            municipality.host = fields["host"]
            municipality.brand_colour = fields["brand_colour"]
            municipality.save(update_fields=["host", "brand_colour"])
        if not municipality.logo:
            logo = LOGOS / f"{municipality.slug}.svg"
            with logo.open("rb") as file:
                municipality.logo.save(logo.name, File(file), save=True)
    return created_any


def load_staff() -> bool:
    created_any = False
    for person in STAFF:
        if User.objects.filter(username=person["username"]).exists():
            continue
        create = User.objects.create_superuser if person["superuser"] else User.objects.create_user
        workplace = person["municipality"]
        create(
            person["username"],
            DEMO_PASSWORD,
            first_name=person["first_name"],
            last_name=person["last_name"],
            is_staff=True,
            municipality=Municipality.objects.get(slug=workplace) if workplace else None,
            is_municipality_admin=person.get("municipality_admin", False),
            email=person.get("email", ""),
        )
        created_any = True
    return created_any


def enrol_staff() -> bool:
    """Give each demo staff account the published TOTP secret."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    created_any = False
    users = User.objects.filter(username__in=[p["username"] for p in STAFF])
    for user in users:
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)
        created_any = True
    return created_any


def load_citizens() -> bool:
    created_any = False
    for citizen in CITIZENS:
        number = citizen["personal_identity_number"]
        if User.objects.filter(personal_identity_number=number).exists():
            continue
        user = User.objects.create_citizen(
            number, given_name=citizen["given_name"], surname=citizen["surname"]
        )
        if number in CITIZEN_PROFILES:
            Profile.objects.update_or_create(user=user, defaults=CITIZEN_PROFILES[number])
        created_any = True
    return created_any


def load_eservices() -> bool:
    """Import the demo e-services as `sjalvservice eservice import` would."""
    changed = False
    for path in demo_files():
        changed |= import_eservice_file(path).changed
    changed |= bool(
        EService.objects.filter(slug__in=FEATURED_ESERVICES, featured=False).update(featured=True)
    )
    return changed


def assign_eservices() -> bool:
    """The demo handlers' e-services, every one of their municipality's: through a handler
    group or assigned directly."""
    created_any = False
    for fields in HANDLER_GROUPS:
        municipality = Municipality.objects.get(slug=fields["municipality"])
        group, created = HandlerGroup.objects.get_or_create(
            municipality=municipality, name=fields["name"]
        )
        created_any |= created
        for user in User.objects.filter(username__in=fields["members"]):
            if not group.members.filter(pk=user.pk).exists():
                group.members.add(user)
                created_any = True
        for eservice in EService.objects.filter(municipality=municipality):
            if not group.eservices.filter(pk=eservice.pk).exists():
                group.eservices.add(eservice)
                created_any = True
    for handler in User.objects.filter(username__in=HANDLERS_OF_EVERY_ESERVICE):
        for eservice in EService.objects.filter(municipality=handler.municipality_id):
            _assignment, created = Assignment.objects.get_or_create(
                handler=handler, eservice=eservice
            )
            created_any |= created
    return created_any


def add_reply_templates() -> bool:
    created_any = False
    for slug, templates in REPLY_TEMPLATES.items():
        eservice = EService.objects.filter(slug=slug).first()
        if eservice is None:
            continue
        for title, text in templates:
            _template, created = ReplyTemplate.objects.get_or_create(
                eservice=eservice, title=title, defaults={"text": text}
            )
            created_any |= created
    return created_any


def load_queues_and_resources() -> bool:
    created_any = False
    for fields in QUEUES:
        fields = dict(fields)
        people = fields.pop("people")
        municipality = Municipality.objects.get(slug=fields.pop("municipality"))
        queue, created = Queue.objects.get_or_create(
            municipality=municipality, slug=fields.pop("slug"), defaults=fields
        )
        if created:
            for number in people:
                reservations.join_queue(queue, User.objects.get(personal_identity_number=number))
        created_any |= created
    for fields in RESOURCES:
        fields = dict(fields)
        municipality = Municipality.objects.get(slug=fields.pop("municipality"))
        fields["opens"] = datetime.time.fromisoformat(fields["opens"])
        fields["closes"] = datetime.time.fromisoformat(fields["closes"])
        _resource, created = Resource.objects.get_or_create(
            municipality=municipality, slug=fields.pop("slug"), defaults=fields
        )
        created_any |= created
    return created_any


# The demo's case-management system (simulators/case_system), which `sjalvservice run`
# starts on this port with a fresh token of the client.
CASE_SYSTEM = {"name": "Ärendesystemet", "municipality": "skelleftea", "admin": "kommunadmin"}
CASE_SYSTEM_WEBHOOK = "http://127.0.0.1:{port}/webhooks"
CASE_SYSTEM_PORT = 8449


def connect_case_system() -> bool:
    """Skellefteå's integration client for the simulated case-management system: every
    e-service of the municipality, every scope, a webhook to the simulator."""
    municipality = Municipality.objects.get(slug=CASE_SYSTEM["municipality"])
    if ApiClient.objects.filter(municipality=municipality, name=CASE_SYSTEM["name"]).exists():
        return False
    actor = Actor(User.objects.get(username=CASE_SYSTEM["admin"]), None)
    client = clients.create_client(
        by=actor,
        name=CASE_SYSTEM["name"],
        eservices=EService.objects.filter(municipality=municipality),
        scopes=Scope.values,
    )
    clients.create_webhook(
        client, by=actor, url=CASE_SYSTEM_WEBHOOK.format(port=CASE_SYSTEM_PORT), event_types=[]
    )
    return True
