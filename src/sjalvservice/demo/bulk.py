"""A region's worth of data, fast: `sjalvservice seed_scale` and the benchmarks.

``seed(cases=1_000_000)`` fills an empty, migrated database with what a shared platform of
fifteen municipalities in Västerbotten and Norrbotten holds after five years: about 300
e-services, 300,000 citizens, a million cases with their history, messages and revisions,
in a few minutes on PostgreSQL.

The small, structural things go through the product's own functions: municipalities,
e-services imported from the demo definitions and published (which makes their statuses),
staff with their second factor, assignments and handler groups. The bulk does not: each
case's story is decided in Python as a compact "plan" row (which e-service, owner, status,
how many messages, when), copied into a temporary table (COPY on PostgreSQL, batches on
SQLite), and the database then writes the wide rows itself with ``INSERT ... SELECT``: the
cases with their answers, the events, messages and revisions. On PostgreSQL the loaded
tables' plain indexes and foreign keys are dropped while they fill and made again after,
which is how bulk loads are done there.

Every case is what the domain functions would have left: ``status_kind`` is its status's
kind, drafts have no number, submitted cases are numbered in the order they came in (the
number sequence ends at the highest), each has revision 1 and a history that begins with
"Inskickat" and ends at ``last_event_at`` with the case's own status, messages have their
"Meddelande" events, ``version`` counts the changes. What is not made: notices (the
outbox), PDF copies, bookings and queue places (the definitions that book or queue are
not used), and the files an answer names are not stored.

Three well-known identities are made for benchmarks: the citizen ``bench-citizen`` with
``bench_citizen_cases`` cases of their own, the handler ``bench-handler`` in Skellefteå
assigned to a quarter of its e-services, and ``bench-admin``, its municipality
administrator. Staff have the demo password and TOTP secret (``demo/data.py``).

Run :func:`analyze` afterwards (the command does): PostgreSQL then knows the tables' sizes
and has a visibility map, so that index-only scans work.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import Assignment, HandlerGroup, ReplyTemplate
from sjalvservice.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseRevision,
    Message,
    Status,
    StatusKind,
)
from sjalvservice.cases.runner import definition_of_version
from sjalvservice.cases.services import status_for, statuses_for
from sjalvservice.core.models import Municipality
from sjalvservice.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from sjalvservice.eservices.definitions import visible_steps
from sjalvservice.eservices.models import EService, EServiceVersion
from sjalvservice.eservices.transfer import DEMO_DIR, import_eservice, read_eservice_file

# Raised when what seed() writes changes, so that a benchmark knows to seed again.
SEED_FORMAT = 1

BENCH_CITIZEN = "bench-citizen"
BENCH_HANDLER = "bench-handler"
BENCH_ADMIN = "bench-admin"

DAY = 86400
YEARS = 5 * 365 * DAY
# The last 60 days hold a tenth of all cases (use has grown) and every open one.
RECENT = 60 * DAY
RECENT_SHARE = 0.10
DRAFT_SHARE = 0.03
# Of the open cases, by kind (the rest of the submitted cases are closed).
OPEN_KIND_SHARES = {
    StatusKind.SUBMITTED: 0.30,
    StatusKind.IN_PROGRESS: 0.40,
    StatusKind.AWAITING_SUPPLEMENT: 0.12,
    StatusKind.SUPPLEMENTED: 0.18,
}
HANDLED_OPEN = 0.60  # open cases with a handler
HANDLED_CLOSED = 0.50  # closed cases that had one
WORKED_ON_CLOSED = 0.40  # closed cases that were "Under behandling" before closing
UNREAD_SHARE = 0.10  # new or in-progress cases whose citizen just wrote
MAX_MESSAGES = 20
# Events of one case are numbered 0..EVENT_SLOTS-1 when they are made.
EVENT_SLOTS = 32
BATCH = 20_000

# (slug, name, share of the cases, town, postal code, telephone). Skellefteå and Lycksele
# first: a smaller seed takes the municipalities from the top.
MUNICIPALITIES: list[tuple[str, str, float, str, str, str]] = [
    ("skelleftea", "Skellefteå kommun", 0.100, "Skellefteå", "93131", "0910-73 50 00"),
    ("lycksele", "Lycksele kommun", 0.040, "Lycksele", "92131", "0950-166 00"),
    ("umea", "Umeå kommun", 0.220, "Umeå", "90326", "090-16 10 00"),
    ("lulea", "Luleå kommun", 0.140, "Luleå", "97233", "0920-45 30 00"),
    ("pitea", "Piteå kommun", 0.080, "Piteå", "94131", "0911-69 60 00"),
    ("boden", "Bodens kommun", 0.060, "Boden", "96131", "0921-620 00"),
    ("kiruna", "Kiruna kommun", 0.060, "Kiruna", "98131", "0980-700 00"),
    ("gallivare", "Gällivare kommun", 0.050, "Gällivare", "98231", "0970-180 00"),
    ("kalix", "Kalix kommun", 0.050, "Kalix", "95231", "0923-650 00"),
    ("haparanda", "Haparanda kommun", 0.040, "Haparanda", "95331", "0922-150 00"),
    ("vannas", "Vännäs kommun", 0.040, "Vännäs", "91131", "0935-140 00"),
    ("alvsbyn", "Älvsbyns kommun", 0.035, "Älvsbyn", "94231", "0929-170 00"),
    ("vilhelmina", "Vilhelmina kommun", 0.035, "Vilhelmina", "91231", "0940-140 00"),
    ("arvidsjaur", "Arvidsjaurs kommun", 0.030, "Arvidsjaur", "93331", "0960-155 00"),
    ("storuman", "Storumans kommun", 0.020, "Storuman", "92331", "0951-140 00"),
]
# Their real organisation numbers where the demo uses them; made-up valid ones otherwise.
KNOWN_ORGANISATION_NUMBERS = {"skelleftea": "2120002742", "lycksele": "2120002460"}

# The demo definitions reused, each under four titles, with the e-service's handling time.
# The ones that book a time (boka-lokal) are left out; the boat places lose their queue.
TEMPLATES: dict[str, tuple[int, list[str]]] = {
    "bygglov": (70, ["Anmälan om bygglov", "Anmälan om attefallsåtgärd",
                     "Ansökan om rivningslov", "Ansökan om marklov"]),
    "medborgarforslag": (90, ["Medborgarförslag", "Synpunkter och klagomål",
                              "Förslag till kulturpris", "Idéer om centrumutveckling"]),
    "felanmalan-gata-och-park": (7, ["Felanmälan gata och park", "Felanmälan gatubelysning",
                                     "Anmälan om klotter", "Felanmälan lekplats"]),
    "serveringstillstand": (56, ["Ansökan om serveringstillstånd",
                                 "Ansökan om tillfälligt serveringstillstånd",
                                 "Serveringstillstånd vid catering",
                                 "Ändring av serveringstillstånd"]),
    "batplats": (30, ["Ansökan om båtplats", "Ansökan om plats i gästhamn",
                      "Ansökan om vinterförvaring av båt", "Ansökan om kanotplats"]),
}  # fmt: skip
ESERVICES_PER_MUNICIPALITY = sum(len(titles) for _days, titles in TEMPLATES.values())

# Common Swedish names; the surnames with how many carry them (thousands, roughly).
FEMALE_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Kristina", "Lena", "Emma", "Kerstin", "Ingrid",
    "Marie", "Malin", "Jenny", "Hanna", "Linda", "Elin", "Annika", "Sofia", "Ida", "Birgitta",
    "Susanne", "Julia", "Johanna", "Camilla", "Elsa", "Alice", "Maja", "Ebba", "Wilma",
    "Astrid", "Ulla", "Margareta", "Helena", "Frida", "Lisa", "Josefin", "Matilda", "Agnes",
    "Signe", "Greta",
]  # fmt: skip
MALE_NAMES = [
    "Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Thomas", "Jan",
    "Daniel", "Fredrik", "Hans", "Andreas", "Stefan", "Mats", "Marcus", "Magnus", "Mattias",
    "Jonas", "Niklas", "Oskar", "Lucas", "William", "Hugo", "Elias", "Alexander", "Olof",
    "Nils", "Sven", "Gunnar", "Björn", "Henrik", "Emil", "Viktor", "Axel", "Leo", "Göran",
    "Bengt", "Ulf",
]  # fmt: skip
SURNAMES: list[tuple[str, int]] = [
    ("Johansson", 243), ("Andersson", 222), ("Karlsson", 206), ("Nilsson", 158),
    ("Eriksson", 136), ("Larsson", 118), ("Olsson", 105), ("Persson", 100), ("Svensson", 95),
    ("Gustafsson", 92), ("Pettersson", 90), ("Jonsson", 65), ("Jansson", 45), ("Hansson", 39),
    ("Bengtsson", 32), ("Jönsson", 30), ("Lindberg", 27), ("Jakobsson", 26), ("Magnusson", 26),
    ("Olofsson", 25), ("Lindström", 25), ("Lindqvist", 24), ("Lindgren", 24), ("Berg", 23),
    ("Axelsson", 22), ("Bergström", 22), ("Lundberg", 22), ("Lind", 21), ("Lundgren", 21),
    ("Lundqvist", 21), ("Mattsson", 20), ("Berglund", 20), ("Fredriksson", 19),
    ("Sandberg", 19), ("Henriksson", 19), ("Forsberg", 18), ("Sjöberg", 18), ("Wallin", 17),
    ("Engström", 17), ("Danielsson", 16), ("Håkansson", 16), ("Eklund", 16), ("Lundin", 16),
    ("Gunnarsson", 15), ("Björk", 15), ("Bergman", 15), ("Holm", 15), ("Samuelsson", 15),
    ("Fransson", 14), ("Wikström", 14), ("Isaksson", 14), ("Bergqvist", 14), ("Nyström", 14),
    ("Holmberg", 13), ("Söderberg", 13), ("Nyberg", 13), ("Blomqvist", 13), ("Nordström", 13),
    ("Lundström", 12), ("Marklund", 12), ("Öberg", 11), ("Lundmark", 11), ("Nordlund", 10),
    ("Sundqvist", 10), ("Holmström", 10), ("Burman", 9), ("Lindmark", 8), ("Renström", 7),
    ("Strömbäck", 6), ("Granström", 6), ("Boström", 9), ("Lidström", 7), ("Hedlund", 9),
    ("Backman", 8), ("Ali", 17),
]  # fmt: skip

# Messages as people write them: (category, text). "to" goes to the citizen, "from" comes
# from them, "supp" asks for a supplement. The same number of each, see TEXTS_PER_KIND.
TEXTS: dict[str, list[str]] = {
    "to": [
        "Hej! Vi har tagit emot ditt ärende och börjar handlägga det inom kort. Du får "
        "besked här på Mina sidor.",
        "Tack för ditt ärende. Handläggningen tar just nu ungefär fyra veckor eftersom vi "
        "har många ärenden.",
        "Hej, jag är din handläggare. Hör av dig här om du har frågor om ärendet.",
        "Vi har gått igenom ärendet och lämnar det till nämnden för beslut. Nämnden "
        "sammanträder nästa månad.",
        "Vi har varit på plats och tittat. Felet åtgärdas under nästa vecka.",
        "Tack för kompletteringen, nu har vi allt vi behöver.",
        "Vi behöver lite mer tid för att utreda ärendet. Du får besked senast i slutet av månaden.",
        "Kan du ringa mig någon dag mellan 9 och 11? Det gäller några detaljer i ansökan.",
    ],
    "from": [
        "Hej! Jag undrar hur det går med mitt ärende?",
        "Jag glömde att skriva att jag nås på telefon efter klockan 16.",
        "Här kommer uppgifterna ni bad om. Hör av er om något mer behövs.",
        "Tack för snabbt svar!",
        "Jag har flyttat. Kan ni skicka beslutet till min nya adress, Storgatan 5?",
        "Finns det något jag kan göra för att ärendet ska gå snabbare?",
        "Jag vill lägga till att problemet har blivit värre sedan jag skrev.",
        "Jag är bortrest i tre veckor från midsommar, kontakta mig gärna före eller efter.",
    ],
    "supp": [
        "Vi behöver en situationsplan som visar var på tomten du vill bygga. Välj Ändra "
        "ärende och bifoga den.",
        "Serveringstiderna saknas i ansökan. Välj Ändra ärende och fyll i dem.",
        "Kan du beskriva platsen mer exakt? Välj Ändra ärende och skriv närmaste adress "
        "eller korsning.",
        "Vi behöver ditt telefonnummer för att kunna boka ett besök. Välj Ändra ärende och "
        "lägg till det.",
        "Ritningarna är inte skalenliga. Välj Ändra ärende och bifoga ritningar i skala 1:100.",
        "Vi behöver veta båtens mått. Välj Ändra ärende och fyll i längd och bredd.",
        "Beskriv gärna ditt förslag lite mer: vad vill du ändra, och varför? Välj Ändra ärende.",
        "Organisationsnumret stämmer inte med Bolagsverkets uppgifter. Välj Ändra ärende och "
        "kontrollera det.",
    ],
}
TEXTS_PER_KIND = 8
REPLY_TEMPLATES = [
    ("Ärendet är mottaget", TEXTS["to"][0]),
    ("Längre handläggningstid", TEXTS["to"][1]),
]


@dataclass
class SeedSummary:
    """What :func:`seed` made, and the benchmark identities' user ids."""

    vendor: str
    municipalities: int
    eservices: int
    citizens: int
    staff: int
    cases: int
    drafts: int
    open: int
    closed: int
    events: int
    messages: int
    revisions: int
    bench_citizen: int
    bench_handler: int
    bench_admin: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)

    def as_text(self) -> str:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())
        return (
            f"{self.cases:,} cases ({self.drafts:,} drafts, {self.open:,} open, "
            f"{self.closed:,} closed), {self.events:,} events, {self.messages:,} messages, "
            f"{self.revisions:,} revisions, {self.citizens:,} citizens, {self.staff} staff, "
            f"{self.eservices} e-services in {self.municipalities} municipalities on "
            f"{self.vendor} in {self.seconds:.1f} s ({phases})."
        )


@dataclass
class _EService:
    """What the plan needs to know of one seeded e-service."""

    pk: int
    version_id: int
    municipality_id: int
    handling_days: int
    weight: float
    handler_id: int  # who handles it (and writes as the municipality when nobody does)
    handler_name: str
    statuses: dict[str, int]  # kind -> the status a case of that kind gets
    closed: list[int]  # the closed statuses, the commonest first
    answers: dict[str, Any]  # what its cases answered (the contact block gets their names)


def seed(
    *,
    cases: int,
    citizens: int | None = None,
    municipalities: int = 15,
    events_per_case: float = 3.0,
    bench_citizen_cases: int = 200,
) -> SeedSummary:
    """Fill an empty, migrated database with ``cases`` cases (see the module docstring).

    ``citizens`` defaults to three for every ten cases. Atomic: it leaves everything or
    nothing. Refused in production and in a database that already has cases.
    """
    if settings.PRODUCTION:
        raise RuntimeError("Seeding is refused when MODE=production.")
    if not 1 <= municipalities <= len(MUNICIPALITIES):
        raise ValueError(f"municipalities must be 1-{len(MUNICIPALITIES)}.")
    if cases < 1 or events_per_case < 0 or bench_citizen_cases < 0:
        raise ValueError("cases must be positive, events_per_case and bench cases not negative.")
    citizens = max(1, cases * 3 // 10) if citizens is None else citizens
    if citizens < 1:
        raise ValueError("citizens must be positive.")
    started = time.monotonic()
    clock = _Clock()
    # Inside someone else's transaction (a test), indexes made again before it commits
    # could not serve its own queries (PostgreSQL's indcheckxmin): keep them then.
    keep_indexes = connection.in_atomic_block
    with transaction.atomic():
        if Case.objects.exists():
            raise ValueError("The database already has cases: seed an empty one.")
        now = int(timezone.now().timestamp())
        rng = random.Random(SEED_FORMAT)  # noqa: S311  (the same data every time, not secrets)
        places = _municipalities(municipalities)
        staff = _staff(places, rng)
        eservices = _eservices(places, staff, now, rng)
        bench_citizen = _bench_citizen()
        clock.lap("structure")
        with _bulk_load([User, Case, CaseEvent, CaseRevision, Message], keep=keep_indexes):
            _temporary_tables(eservices)
            first_citizen = _citizens(citizens, now, rng)
            clock.lap("citizens")
            counts = _plan(
                cases,
                eservices,
                citizens=(first_citizen, citizens),
                now=now,
                events_per_case=events_per_case,
                rng=rng,
            )
            _give_bench_citizen_cases(bench_citizen, bench_citizen_cases)
            clock.lap("plan")
            _insert_cases()
            clock.lap("cases")
            _insert_events()
            clock.lap("events")
            _insert_messages(now)
            clock.lap("messages")
            _insert_revisions()
            clock.lap("revisions")
        clock.lap("indexes")
        _finish()
        clock.lap("finish")
    return SeedSummary(
        vendor=connection.vendor,
        municipalities=len(places),
        eservices=len(eservices),
        citizens=citizens + 1,
        staff=len(staff),
        cases=cases,
        drafts=counts["drafts"],
        open=counts["open"],
        closed=counts["closed"],
        events=counts["events"],
        messages=counts["messages"],
        revisions=counts["revisions"],
        bench_citizen=bench_citizen.pk,
        bench_handler=staff[BENCH_HANDLER].pk,
        bench_admin=staff[BENCH_ADMIN].pk,
        seconds=time.monotonic() - started,
        phases=clock.laps,
    )


def analyze() -> None:
    """Refresh the planner's statistics. On PostgreSQL outside a transaction also VACUUM,
    which writes the visibility map that index-only scans need."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = now - self.last
        self.last = now


# The structure: through the product's own models and functions.


def _municipalities(count: int) -> list[tuple[Municipality, float, str, str]]:
    places = []
    for index, (slug, name, share, town, postal_code, phone) in enumerate(MUNICIPALITIES[:count]):
        number = KNOWN_ORGANISATION_NUMBERS.get(slug) or _with_check_digit(f"2120009{index:02d}")
        municipality, _created = Municipality.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "organisation_number": number,
                "contact_email": f"kommun@{slug}.example",
                "contact_phone": phone,
                "website": f"https://www.{slug}.se/",
            },
        )
        places.append((municipality, share, town, postal_code))
    return places


def _staff(
    places: Sequence[tuple[Municipality, float, str, str]], rng: random.Random
) -> dict[str, User]:
    """An administrator and four handlers per municipality, all with the demo password and
    TOTP secret; in Skellefteå the administrator and one handler are the bench's."""
    staff: dict[str, User] = {}
    for municipality, _share, _town, _postal_code in places:
        names = [f"{municipality.slug}-admin"] + [
            f"{municipality.slug}-handlaggare-{number}" for number in range(1, 5)
        ]
        if municipality.slug == "skelleftea":
            names[0], names[1] = BENCH_ADMIN, BENCH_HANDLER
        for position, username in enumerate(names):
            first_name = rng.choice(FEMALE_NAMES if position % 2 else MALE_NAMES)
            staff[username] = User.objects.create_user(
                username,
                None,
                first_name=first_name,
                last_name=rng.choice(SURNAMES)[0],
                email=f"{username}@{municipality.slug}.example",
                is_staff=True,
                municipality=municipality,
                is_municipality_admin=position == 0,
            )
    # One slow hash for everyone: the demo password, as `sjalvservice demo` gives staff.
    User.objects.filter(pk__in=[user.pk for user in staff.values()]).update(
        password=make_password(DEMO_PASSWORD)
    )
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Bench", key=key, confirmed=True) for user in staff.values()
    )
    return staff


def _eservices(
    places: Sequence[tuple[Municipality, float, str, str]],
    staff: dict[str, User],
    now: int,
    rng: random.Random,
) -> list[_EService]:
    """Twenty e-services per municipality from the demo definitions, imported and published
    as `sjalvservice eservice import` does; a few are much more used than the rest."""
    sources = {slug: read_eservice_file(DEMO_DIR / f"{slug}.yaml") for slug in TEMPLATES}
    seeded: list[_EService] = []
    for municipality, share, town, postal_code in places:
        variants = [
            (source, title, days)
            for source, (days, titles) in TEMPLATES.items()
            for title in titles
        ]
        rng.shuffle(variants)
        handlers = [
            user
            for user in staff.values()
            if user.municipality_id == municipality.pk and not user.is_municipality_admin
        ]
        handlers.sort(key=lambda user: user.username != BENCH_HANDLER)  # the bench's first
        group, _created = HandlerGroup.objects.get_or_create(
            municipality=municipality, name="Kundtjänst"
        )
        group.members.add(*handlers[1:3])
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(variants))]
        for rank, (source, title, days) in enumerate(variants):
            data = json.loads(json.dumps(sources[source]))
            data.update(slug=f"{slugify(title)}-{municipality.slug}"[:80], title=title,
                        municipality=municipality.slug)  # fmt: skip
            data["definition"]["title"] = title
            data["definition"].pop("queue", None)
            result = import_eservice(data)
            eservice = result.eservice
            EService.objects.filter(pk=eservice.pk).update(handling_days=days)
            # Every fourth, the most used first: the bench handler's quarter in Skellefteå.
            handler = handlers[rank % 4 if len(handlers) >= 4 else rank % len(handlers)]
            Assignment.objects.create(handler=handler, eservice=eservice)
            if source == "felanmalan-gata-och-park":
                group.eservices.add(eservice)
            ReplyTemplate.objects.bulk_create(
                ReplyTemplate(eservice=eservice, title=heading, text=text)
                for heading, text in REPLY_TEMPLATES
            )
            seeded.append(
                _describe(
                    result.version,
                    days=days,
                    weight=share * weights[rank] / sum(weights),
                    handler=handler,
                    answers=_answers_for(source, town, postal_code, now),
                )
            )
    return seeded


def _describe(
    version: EServiceVersion, *, days: int, weight: float, handler: User, answers: dict[str, Any]
) -> _EService:
    eservice = version.eservice
    probe = Case(eservice=eservice, eservice_version=version, municipality=eservice.municipality)
    kinds = [kind for kind in StatusKind if kind != StatusKind.DRAFT]
    closed = [status.pk for status in statuses_for(probe) if status.kind == StatusKind.CLOSED]
    return _EService(
        pk=eservice.pk,
        version_id=version.pk,
        municipality_id=eservice.municipality_id,
        handling_days=days,
        weight=weight,
        handler_id=handler.pk,
        handler_name=handler.display_name,
        statuses={kind: status_for(probe, kind).pk for kind in kinds},
        closed=closed,
        answers=answers,
    )


def _bench_citizen() -> User:
    user = User.objects.create_citizen(
        _personal_identity_number(_FIRST_BORN, 980),
        given_name="Berit",
        surname="Bänkesson",
    )
    User.objects.filter(pk=user.pk).update(username=BENCH_CITIZEN)
    return user


def _answers_for(source: str, town: str, postal_code: str, now: int) -> dict[str, Any]:
    """One realistic set of answers to a demo definition, valid for it (the date of a
    serving licence lies ahead of the seeding day)."""
    contact = {
        "first_name": "", "last_name": "", "street": "Storgatan 12", "postal_code": postal_code,
        "city": town, "phone": "", "email": "kontakt@example.se", "mobile": "0701234567",
        "notify_email": False, "notify_sms": False,
    }  # fmt: skip
    address = {"street": "Kyrkogatan 7", "postal_code": postal_code, "city": town}
    if source == "bygglov":
        return {
            "kontakt": contact,
            "fastighetsbeteckning": f"{town} Getberget 1:23",
            "fastighetens_adress": address,
            "typ_av_atgard": "tillbyggnad",
            "tillbyggnadens_area": 24.5,
            "beskrivning": "Tillbyggnad av bostadshuset med ett uterum mot söder, 24,5 "
            "kvadratmeter, med samma fasad och tak som huset i övrigt.",
            "ritningar": [{"name": "ritningar.pdf", "size": 1843200,
                           "content_type": "application/pdf", "key": "bench/ritningar.pdf"}],
            "har_ombud": "nej",
        }  # fmt: skip
    if source == "medborgarforslag":
        return {
            "kontakt": contact,
            "rubrik": "Fler parkbänkar längs älven",
            "beskrivning": "Längs promenadstråket vid älven finns nästan inga bänkar. Många "
            "äldre går där varje dag och behöver kunna vila. Jag föreslår en bänk var "
            "tvåhundrade meter mellan bron och badplatsen.",
        }
    if source == "felanmalan-gata-och-park":
        return {
            "typ_av_fel": "belysning",
            "plats": "Gång- och cykelvägen vid Storgatan 40",
            "beskrivning": "Tre gatlampor i rad är släckta sedan en vecka. Det är mycket "
            "mörkt på kvällarna och många barn går där till skolan.",
            "aterkoppling": "ja",
            "epost": "anmalare@example.se",
        }
    if source == "serveringstillstand":
        starts = dt.date.fromtimestamp(now) + dt.timedelta(days=60)
        return {
            "organisation": {"id": None, "organisation_number": "5593004285",
                             "name": "Restaurang Älvbrinken AB"},
            "kontakt": contact,
            "stallets_namn": "Restaurang Älvbrinken",
            "stallets_adress": address,
            "typ_av_tillstand": "stadigvarande_allmanheten",
            "drycker": ["starkol", "vin"],
            "serveringstider": "Måndag–torsdag 11.00–23.00, fredag–lördag 11.00–01.00.",
            "fran_och_med": starts.isoformat(),
            "riktiga_uppgifter": True,
        }  # fmt: skip
    return {
        "kontakt": contact,
        "battyp": "motorbat",
        "langd": 5.5,
        "bredd": 2.1,
        "onskad_hamn": "ingen_preferens",
    }


# Identity numbers.


def _with_check_digit(digits: str) -> str:
    """``digits`` followed by their Luhn check digit (weights 2, 1, 2, ... from the left)."""
    total = 0
    for position, character in enumerate(digits):
        value = int(character) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def _personal_identity_number(born: dt.date, birth_number: int) -> str:
    return f"{born.year // 100}" + _with_check_digit(f"{born:%y%m%d}{birth_number:03d}")


# The bulk: temporary tables, the plan, and INSERT ... SELECT.

_FIRST_BORN = dt.date(1935, 1, 1)
_LAST_BORN = dt.date(2006, 12, 31)


def _citizens(count: int, now: int, rng: random.Random) -> int:
    """``count`` citizens with unique, valid personal identity numbers (Skatteverket's test
    series 980-999 while it lasts, then other birth numbers) and common names; returns the
    first one's id, the others' follow it."""
    days = (_LAST_BORN - _FIRST_BORN).days + 1
    series = next(size for size in (20, 100, 999) if days * size > count or size == 999)
    if days * series <= count:
        raise ValueError(f"At most {days * series - 1} citizens can be made.")
    lowest = 980 if series == 20 else 1000 - series
    taken = 980 - lowest  # the bench citizen's number: the first day, 980
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    surnames, weights = zip(*SURNAMES, strict=True)
    cumulative = list(itertools.accumulate(weights))
    password = make_password(None)
    joined = dt.datetime.fromtimestamp(now - YEARS, tz=dt.UTC)

    def rows() -> Iterator[dict[str, Any]]:
        for offset, drawn in enumerate(rng.sample(range(days * series - 1), count)):
            index = drawn + (drawn >= taken)
            born = _FIRST_BORN + dt.timedelta(days=index // series)
            birth_number = lowest + index % series
            male = birth_number % 2 == 1
            yield {
                "id": first + offset,
                "password": password,
                "personal_identity_number": _personal_identity_number(born, birth_number),
                "first_name": rng.choice(MALE_NAMES if male else FEMALE_NAMES),
                "last_name": surnames[bisect.bisect(cumulative, rng.random() * cumulative[-1])],
                "date_joined": joined + dt.timedelta(seconds=rng.randrange(YEARS)),
            }

    _write_rows(User, rows())
    return first


_PLAN_COLUMNS = (
    "id", "grp", "number", "eservice_id", "status_id", "kind", "owner_id", "handler_id",
    "created", "saved", "submitted", "last", "due", "unread", "version", "n",
    "ip", "aw", "sp", "un", "b1", "b2", "b3", "b4", "b5", "b6",
)  # fmt: skip


def _temporary_tables(eservices: Sequence[_EService]) -> None:
    json_type = "jsonb" if connection.vendor == "postgresql" else "text"
    plan = ", ".join(
        f"{name} {'text' if name == 'kind' else 'bigint'}{' PRIMARY KEY' if name == 'id' else ''}"
        for name in _PLAN_COLUMNS
    )
    with connection.cursor() as cursor:
        for table in ("bench_plan", "bench_eservice", "bench_text", "bench_numbers"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}", [])
        cursor.execute(f"CREATE TEMPORARY TABLE bench_plan ({plan})", [])
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_eservice (id bigint PRIMARY KEY, version_id bigint, "
            f"municipality_id bigint, answers {json_type}, draft_answers {json_type}, "
            f"completed {json_type}, draft_completed {json_type}, last_step text, "
            "draft_step text, contact_key text, st_sub bigint, st_inp bigint, st_aw bigint, "
            "st_sp bigint, actor_id bigint, actor_name text)",
            [],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_text (category text, idx bigint, text text, "
            "details text, PRIMARY KEY (category, idx))",
            [],
        )
        cursor.execute("CREATE TEMPORARY TABLE bench_numbers (i bigint PRIMARY KEY)", [])
        cursor.executemany("INSERT INTO bench_numbers VALUES (%s)", [(i,) for i in range(32)])
        cursor.executemany(
            "INSERT INTO bench_text VALUES (%s, %s, %s, %s)",
            [
                (category, index, text, Truncator(" ".join(text.split())).chars(60))
                for category, texts in TEXTS.items()
                for index, text in enumerate(texts[:TEXTS_PER_KIND])
            ],
        )
        cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        cursor.executemany(
            "INSERT INTO bench_eservice VALUES (%s, %s, %s, "  # noqa: S608  (casts, no values)
            f"{cast}, {cast}, {cast}, {cast}, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [_eservice_row(eservice) for eservice in eservices],
        )


def _eservice_row(eservice: _EService) -> tuple[Any, ...]:
    version = EServiceVersion.objects.get(pk=eservice.version_id)
    definition = definition_of_version(version)
    answers = eservice.answers
    steps = [step.key for step in visible_steps(definition, answers)]
    # A draft has got as far as its last step: the earlier ones are done.
    done = steps[:-1]
    keys = {spec.key for step in definition.steps if step.key in done for spec in step.fields}
    contact = next(
        (spec.key for step in definition.steps for spec in step.fields if spec.type == "contact"),
        None,
    )
    return (
        eservice.pk, eservice.version_id, eservice.municipality_id,
        json.dumps(answers), json.dumps({k: v for k, v in answers.items() if k in keys}),
        json.dumps(steps), json.dumps(done), steps[-1], steps[-1], contact,
        eservice.statuses[StatusKind.SUBMITTED], eservice.statuses[StatusKind.IN_PROGRESS],
        eservice.statuses[StatusKind.AWAITING_SUPPLEMENT],
        eservice.statuses[StatusKind.SUPPLEMENTED], eservice.handler_id, eservice.handler_name,
    )  # fmt: skip


def _message_mean(events_per_case: float) -> float:
    """How many messages a submitted case gets on average, so that all cases together have
    ``events_per_case`` events each (the rest of a case's history is its statuses)."""
    shares = OPEN_KIND_SHARES
    worked = 1 - shares[StatusKind.SUBMITTED]
    awaited = shares[StatusKind.AWAITING_SUPPLEMENT] + shares[StatusKind.SUPPLEMENTED]
    unread = UNREAD_SHARE * (shares[StatusKind.SUBMITTED] + shares[StatusKind.IN_PROGRESS])
    opened = 1 + HANDLED_OPEN + worked + 2 * awaited + shares[StatusKind.SUPPLEMENTED] + unread
    closed = 2 + HANDLED_CLOSED + WORKED_ON_CLOSED
    open_share = RECENT_SHARE / 2
    base = open_share * opened + (1 - open_share) * closed
    return max(0.0, events_per_case / (1 - DRAFT_SHARE) - base)


def _plan(
    count: int,
    eservices: Sequence[_EService],
    *,
    citizens: tuple[int, int],
    now: int,
    events_per_case: float,
    rng: random.Random,
) -> dict[str, int]:
    """Decide every case's story and copy it into ``bench_plan``; returns what it holds."""
    first_citizen, citizen_count = citizens
    cumulative = list(itertools.accumulate(eservice.weight for eservice in eservices))
    kinds, kind_weights = zip(*OPEN_KIND_SHARES.items(), strict=True)
    kind_cumulative = list(itertools.accumulate(kind_weights))
    messages = _message_mean(events_per_case)
    whole, part = int(messages), messages - int(messages)
    recent = max(1, round(count * RECENT_SHARE)) if count > 1 else 1
    older = count - recent
    counts = dict.fromkeys(("drafts", "open", "closed", "events", "messages", "revisions"), 0)
    first = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    number = CaseNumberSequence.objects.get(pk=1).last_number
    draft_status = Status.objects.default_for(StatusKind.DRAFT).pk

    def moment(i: int) -> int:
        if i < older:
            return now - YEARS + i * (YEARS - RECENT) // older
        return now - RECENT + (i - older + 1) * RECENT // recent

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal number
        for i in range(count):
            eservice = eservices[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
            owner = first_citizen + rng.randrange(citizen_count)
            submitted = moment(i)
            if rng.random() < DRAFT_SHARE:
                counts["drafts"] += 1
                saved = min(now, submitted + rng.randrange(60, 3 * DAY))
                yield (first + i, 0, None, eservice.pk, draft_status, StatusKind.DRAFT.value,
                       owner, None, submitted, saved, None, None, None, 0, 1, 0,
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # fmt: skip
                continue
            number += 1
            age = now - submitted
            is_open = age < RECENT and rng.random() * RECENT > age
            if is_open:
                kind = kinds[bisect.bisect(kind_cumulative, rng.random() * kind_cumulative[-1])]
                status = eservice.statuses[kind]
                handled = rng.random() < HANDLED_OPEN
                worked = kind != StatusKind.SUBMITTED
            else:
                kind = StatusKind.CLOSED
                status = rng.choices(eservice.closed, [6, 3, 1][: len(eservice.closed)])[0]
                handled = rng.random() < HANDLED_CLOSED
                worked = rng.random() < WORKED_ON_CLOSED
            awaited = kind in (StatusKind.AWAITING_SUPPLEMENT, StatusKind.SUPPLEMENTED)
            supplemented = kind == StatusKind.SUPPLEMENTED
            unread = (
                kind in (StatusKind.SUBMITTED, StatusKind.IN_PROGRESS)
                and rng.random() < UNREAD_SHARE
            )
            closes = kind == StatusKind.CLOSED
            written = min(MAX_MESSAGES, whole + (rng.random() < part))
            # The history in order: submitted, assigned, "Under behandling", messages,
            # a supplement asked for (message and status), supplemented, the citizen's
            # unread message, closed. b1..b6 are where each part after the first begins.
            b1 = 1 + handled
            b2 = b1 + worked
            b3 = b2 + written
            b4 = b3 + 2 * awaited
            b5 = b4 + supplemented
            b6 = b5 + unread
            events = b6 + closes
            if is_open:
                last = submitted + int((now - submitted) * rng.random())
            else:
                took = rng.randrange(3600, max(3601, eservice.handling_days * DAY * 3 // 2))
                last = min(now, submitted + took)
            # Only "Inskickat": nothing has happened since. Otherwise a second apart at least.
            last = submitted if events == 1 else max(last, submitted + events - 1)
            version = 2 + handled + worked + (written + 1) // 2 + awaited + supplemented + closes
            counts["open" if is_open else "closed"] += 1
            counts["events"] += events
            counts["messages"] += written + awaited + unread
            counts["revisions"] += 1 + supplemented
            yield (first + i, 1 if is_open else 2, number, eservice.pk, status, kind.value, owner,
                   eservice.handler_id if handled else None,
                   submitted - rng.randrange(120, 3600), last if supplemented else submitted,
                   submitted, last, submitted + eservice.handling_days * DAY, int(unread),
                   version, events, int(worked), int(awaited), int(supplemented), int(unread),
                   b1, b2, b3, b4, b5, b6)  # fmt: skip

    _write_plan(rows())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE bench_plan", [])
    return counts


def _give_bench_citizen_cases(citizen: User, count: int) -> None:
    """Some of the planned cases become the bench citizen's: a twentieth drafts, a tenth
    open, the rest closed, picked across the whole plan."""
    drafts, opened = max(1, count // 20), max(1, count // 10)
    spread = "ORDER BY (id * 2654435761) %% 4294967296 LIMIT %s"
    with connection.cursor() as cursor:
        for group, wanted in ((0, drafts), (1, opened), (2, max(0, count - drafts - opened))):
            cursor.execute(
                "UPDATE bench_plan SET owner_id = %s WHERE id IN "  # noqa: S608  (no values)
                f"(SELECT id FROM bench_plan WHERE grp = %s {spread})",
                [citizen.pk, group, min(wanted, count)],
            )


def _insert_cases() -> None:
    def named(answers: str) -> str:
        """The answers with the owner's name in the contact block."""
        if connection.vendor == "postgresql":
            path = "ARRAY[e.contact_key, '{}']"
            first = f"jsonb_set({answers}, {path.format('first_name')}, to_jsonb(o.first_name))"
            both = f"jsonb_set({first}, {path.format('last_name')}, to_jsonb(o.last_name))"
        else:
            both = (
                f"json_set({answers}, '$.' || e.contact_key || '.first_name', o.first_name, "
                "'$.' || e.contact_key || '.last_name', o.last_name)"
            )
        return f"CASE WHEN e.contact_key IS NULL THEN {answers} ELSE {both} END"

    draft = "p.grp = 0"
    _insert_select(
        Case,
        {
            "id": "p.id",
            "reference": (
                "gen_random_uuid()"
                if connection.vendor == "postgresql"
                else "lower(hex(randomblob(16)))"
            ),
            "eservice_id": "p.eservice_id",
            "eservice_version_id": "e.version_id",
            "municipality_id": "e.municipality_id",
            "owner_id": "p.owner_id",
            "status_id": "p.status_id",
            "status_kind": "p.kind",
            "number": "p.number",
            "answers": f"CASE WHEN {draft} THEN {named('e.draft_answers')} "
            f"ELSE {named('e.answers')} END",
            "completed_steps": f"CASE WHEN {draft} THEN e.draft_completed ELSE e.completed END",
            "current_step": f"CASE WHEN {draft} THEN e.draft_step ELSE e.last_step END",
            "created_at": _moment("p.created"),
            "last_saved_at": _moment("p.saved"),
            "submitted_at": _moment("p.submitted"),
            "last_event_at": _moment("p.last"),
            "due_at": _moment("p.due"),
            "handler_id": "p.handler_id",
            "handler_unread": "p.unread = 1",
            "version": "p.version",
        },
        "FROM bench_plan p JOIN bench_eservice e ON e.id = p.eservice_id "
        "JOIN accounts_user o ON o.id = p.owner_id",
    )


# One row per event of every planned case: its kind, status, who, and which text.
_EXPANDED = f"""
SELECT p.id AS case_id, p.grp AS grp, q.i AS position,
  CASE WHEN q.i = 0 THEN 'submitted'
    WHEN q.i < p.b1 THEN 'handler_assigned'
    WHEN q.i < p.b2 THEN 'status_changed'
    WHEN q.i < p.b3 THEN CASE WHEN (q.i - p.b2) %% 2 = 0 THEN 'message_to_citizen'
                              ELSE 'message_from_citizen' END
    WHEN q.i < p.b4 THEN CASE WHEN q.i = p.b3 THEN 'message_to_citizen' ELSE 'status_changed' END
    WHEN q.i < p.b5 THEN 'supplemented'
    WHEN q.i < p.b6 THEN 'message_from_citizen'
    ELSE 'status_changed' END AS kind,
  CASE WHEN q.i < p.b2 THEN NULL
    WHEN q.i < p.b3 THEN CASE WHEN (q.i - p.b2) %% 2 = 0 THEN 'to' ELSE 'from' END
    WHEN q.i = p.b3 AND p.aw = 1 THEN 'supp'
    WHEN q.i < p.b5 THEN NULL
    WHEN q.i < p.b6 THEN 'from'
    ELSE NULL END AS category,
  ((p.id * 32 + q.i) * 2654435761 %% 4294967296) / 65536 %% {TEXTS_PER_KIND} AS idx,
  CASE WHEN q.i < p.b1 THEN e.st_sub
    WHEN q.i < p.b2 THEN e.st_inp
    WHEN q.i < p.b3 THEN CASE WHEN p.ip = 1 THEN e.st_inp ELSE e.st_sub END
    WHEN q.i < p.b4 THEN CASE WHEN q.i = p.b3 THEN e.st_inp ELSE e.st_aw END
    WHEN q.i < p.b5 THEN e.st_sp
    ELSE p.status_id END AS status_id,
  CASE WHEN p.un = 1 AND q.i = p.b5 THEN 1 ELSE 0 END AS unread,
  p.submitted + (p.last - p.submitted) * q.i / CASE WHEN p.n > 1 THEN p.n - 1 ELSE 1 END AS at,
  p.owner_id AS owner_id, o.first_name || ' ' || o.last_name AS owner_name,
  e.actor_id AS actor_id, e.actor_name AS actor_name
FROM bench_plan p
JOIN bench_numbers q ON q.i < p.n
JOIN bench_eservice e ON e.id = p.eservice_id
JOIN accounts_user o ON o.id = p.owner_id
"""  # noqa: S608  (no values: the number of texts)

_BY_CITIZEN = "x.kind IN ('submitted', 'supplemented', 'message_from_citizen')"


def _insert_events() -> None:
    _insert_select(
        CaseEvent,
        {
            "case_id": "x.case_id",
            "kind": "x.kind",
            "details": "CASE WHEN x.kind = 'handler_assigned' THEN x.actor_name "
            "WHEN t.details IS NOT NULL THEN t.details ELSE '' END",
            "status_id": "x.status_id",
            "person_id": f"CASE WHEN {_BY_CITIZEN} THEN x.owner_id ELSE x.actor_id END",
            "person_name": f"CASE WHEN {_BY_CITIZEN} THEN x.owner_name ELSE x.actor_name END",
            "created_at": _moment("x.at"),
        },
        f"FROM ({_EXPANDED}) x LEFT JOIN bench_text t ON t.category = x.category AND t.idx = x.idx",
    )


def _insert_messages(now: int) -> None:
    """The messages of the "Meddelande" events. The citizen has read what is older than a
    week or on a closed case; handlers have read all but the newest unread ones."""
    from_citizen = "x.category = 'from'"
    week = now - 7 * DAY
    read_by_citizen = (
        f"CASE WHEN x.grp = 1 AND x.at > {week} THEN NULL "
        f"ELSE {_moment(_least('x.at + 3600', str(now)))} END"
    )
    read_by_handler = (
        f"CASE WHEN x.unread = 1 THEN NULL ELSE {_moment(_least('x.at + 7200', str(now)))} END"
    )
    _insert_select(
        Message,
        {
            "case_id": "x.case_id",
            "direction": f"CASE WHEN {from_citizen} THEN 'from_citizen' ELSE 'to_citizen' END",
            "sender_id": f"CASE WHEN {from_citizen} THEN x.owner_id ELSE x.actor_id END",
            "sender_name": f"CASE WHEN {from_citizen} THEN x.owner_name ELSE x.actor_name END",
            "text": "t.text",
            "created_at": _moment("x.at"),
            "read_at": (
                f"CASE WHEN {from_citizen} THEN {read_by_handler} ELSE {read_by_citizen} END"
            ),
        },
        f"FROM ({_EXPANDED}) x JOIN bench_text t ON t.category = x.category AND t.idx = x.idx",
    )


def _insert_revisions() -> None:
    """Revision 1 of every submitted case; revision 2 (the supplement) where it has one."""
    for number, moment, condition in ((1, "c.submitted_at", "p.grp > 0"),
                                      (2, "c.last_event_at", "p.sp = 1")):  # fmt: skip
        _insert_select(
            CaseRevision,
            {
                "case_id": "c.id",
                "number": str(number),
                "answers": "c.answers",
                "created_at": moment,
                "created_by_id": "c.owner_id",
            },
            f"FROM bench_plan p JOIN cases_case c ON c.id = p.id WHERE {condition}",
        )


def _finish() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_casenumbersequence SET last_number = "
            "(SELECT COALESCE(MAX(number), 0) FROM cases_case) WHERE id = 1",
            [],
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), [User, Case]):
            cursor.execute(sql, [])
        for table in ("bench_plan", "bench_eservice", "bench_text", "bench_numbers"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}", [])


# SQL helpers: the two dialects, and rows written with every column of a model.


def _moment(seconds: str) -> str:
    """A timestamp from seconds since 1970, as each database stores a DateTimeField."""
    if connection.vendor == "postgresql":
        return f"to_timestamp({seconds})"
    return f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', {seconds}, 'unixepoch')"


def _least(first: str, second: str) -> str:
    function = "LEAST" if connection.vendor == "postgresql" else "MIN"
    return f"{function}({first}, {second})"


def _constant(model_field: models.Field[Any, Any]) -> tuple[str, Any]:
    """A placeholder and the value for a column filled with the field's default."""
    value = model_field.get_db_prep_save(model_field.get_default(), connection)
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {model_field.db_type(connection)})", value
    return "%s", value


def _column(model_field: models.Field[Any, Any]) -> str:
    assert model_field.column is not None  # concrete fields have their column
    return connection.ops.quote_name(model_field.column)


def _insert_select(model: type[models.Model], values: dict[str, str], tail: str) -> None:
    """``INSERT INTO`` the model's table ``SELECT`` the given expressions (by attname),
    every other column its default: a column added to the model later needs no change here.
    The expressions and ``tail`` are SQL made here, without parameters."""
    columns, expressions, parameters = [], [], []
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    unknown = set(values) - {model_field.attname for model_field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}.")
    for model_field in fields:
        if model_field.attname in values:
            expressions.append(values[model_field.attname])
        elif model_field.primary_key or model_field.db_default is not NOT_PROVIDED:
            continue
        else:
            placeholder, value = _constant(model_field)
            expressions.append(placeholder)
            parameters.append(value)
        columns.append(_column(model_field))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Every part is this module's own SQL; the only values are the defaults, as parameters.
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {tail}",
            parameters,
        )


def _write_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Rows of the model (by attname, the other columns their defaults): COPY on
    PostgreSQL, batches of INSERT on SQLite."""
    fields = [
        f for f in model._meta.concrete_fields if f.db_default is NOT_PROVIDED and not f.generated
    ]
    names = [model_field.attname for model_field in fields]
    defaults = {
        model_field.attname: model_field.get_db_prep_save(model_field.get_default(), connection)
        for model_field in fields
        if not model_field.primary_key
    }
    columns = [_column(model_field) for model_field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    tuples = (tuple(row.get(name, defaults.get(name)) for name in names) for row in rows)
    _write(table, columns, tuples)


def _write_plan(rows: Iterable[tuple[Any, ...]]) -> None:
    _write("bench_plan", list(_PLAN_COLUMNS), rows)


def _write(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            cursor.executemany(sql, batch)


class _bulk_load:  # used as a context manager, like a function
    """On PostgreSQL: the tables' plain indexes and foreign keys dropped while they fill,
    made again afterwards (in the same transaction). Unique constraints stay."""

    def __init__(self, model_list: Sequence[type[models.Model]], *, keep: bool = False) -> None:
        self.keep = keep
        self.tables = [model._meta.db_table for model in model_list]
        self.indexes: list[str] = []
        self.keys: list[tuple[str, str, str]] = []

    def __enter__(self) -> None:
        if connection.vendor != "postgresql" or self.keep:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'", [])
            cursor.execute("SET LOCAL work_mem = '256MB'", [])
            cursor.execute("SET LOCAL synchronous_commit = off", [])
            cursor.execute(
                "SELECT index.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class index ON index.oid = "
                "i.indexrelid WHERE t.relname = ANY(%s) AND t.relnamespace = "
                "'public'::regnamespace AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [self.tables],
            )
            found = cursor.fetchall()
            cursor.execute(
                "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' AND "
                "t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace",
                [self.tables],
            )
            self.keys = cursor.fetchall()
            # A table with checks still pending (the rows written above) cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE", [])
            for table, name, _definition in self.keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}", [])
            for name, definition in found:
                cursor.execute(f"DROP INDEX {quote(name)}", [])
                self.indexes.append(definition)

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if kind is not None or connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for definition in self.indexes:
                cursor.execute(definition.replace("%", "%%"), [])
            for table, name, definition in self.keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                    + definition.replace("%", "%%"),
                    [],
                )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED", [])
