"""The field types of the definition format, by name: ``FIELD_TYPES["text"]`` and so on."""

from typing import Any

from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    Organisation,
    StoreUpload,
)
from sjalvservice.eservices.definitions.fields.blocks import (
    AddressType,
    ContactType,
    OrganisationType,
)
from sjalvservice.eservices.definitions.fields.booking import (
    BookingType,
    Calendar,
    CalendarDay,
    CalendarSlot,
    CalendarWeek,
)
from sjalvservice.eservices.definitions.fields.choices import (
    ChoiceType,
    MultipleChoiceType,
    YesNoType,
)
from sjalvservice.eservices.definitions.fields.files import (
    AnswerFilesField,
    FileType,
)
from sjalvservice.eservices.definitions.fields.simple import (
    ConsentType,
    DateType,
    EmailType,
    InfoType,
    NumberType,
    PersonalIdentityNumberType,
    PhoneType,
    TextareaType,
    TextType,
)

FIELD_TYPES: dict[str, FieldType[Any]] = {
    field_type.name: field_type
    for field_type in (
        TextType(), TextareaType(), NumberType(), EmailType(), PhoneType(), DateType(),
        PersonalIdentityNumberType(), ConsentType(), ChoiceType(), MultipleChoiceType(),
        YesNoType(), FileType(), InfoType(), AddressType(), ContactType(), OrganisationType(),
        BookingType(),
    )
}  # fmt: skip

__all__ = [
    "FIELD_TYPES",
    "NO_CONTEXT",
    "AddressType",
    "AnswerFilesField",
    "BookingType",
    "Calendar",
    "CalendarDay",
    "CalendarSlot",
    "CalendarWeek",
    "ChoiceType",
    "ConsentType",
    "ContactType",
    "DateType",
    "EmailType",
    "FieldContext",
    "FieldType",
    "FileType",
    "InfoType",
    "MultipleChoiceType",
    "NumberType",
    "Organisation",
    "OrganisationType",
    "PersonalIdentityNumberType",
    "PhoneType",
    "StoreUpload",
    "TextType",
    "TextareaType",
    "YesNoType",
]
