"""E-service definitions: the format (schema), its field types, conditions and step forms.

No database and no views: the runner (``cases``) and the catalogue (``eservices``) call this.
"""

from sjalvservice.eservices.definitions.conditions import (
    drop_hidden,
    has_answer,
    is_met,
    visible_fields,
    visible_steps,
)
from sjalvservice.eservices.definitions.fields import (
    FIELD_TYPES,
    FieldContext,
    FieldType,
    Organisation,
    StoreUpload,
)
from sjalvservice.eservices.definitions.forms import FieldGroup, StepForm, build_step_form
from sjalvservice.eservices.definitions.problems import DefinitionError, Problem
from sjalvservice.eservices.definitions.schema import (
    DEFAULT_STATUSES,
    Choice,
    Condition,
    Definition,
    FieldSpec,
    OnSubmitSpec,
    StatusKind,
    StatusSpec,
    StepSpec,
    canonical_json,
    content_hash,
    dump_yaml,
    load_definition_text,
    parse_definition,
)
from sjalvservice.eservices.definitions.summary import StepSummary, SummaryRow, summarise

__all__ = [
    "DEFAULT_STATUSES",
    "FIELD_TYPES",
    "Choice",
    "Condition",
    "Definition",
    "DefinitionError",
    "FieldContext",
    "FieldGroup",
    "FieldSpec",
    "FieldType",
    "OnSubmitSpec",
    "Organisation",
    "Problem",
    "StatusKind",
    "StatusSpec",
    "StepForm",
    "StepSpec",
    "StepSummary",
    "StoreUpload",
    "SummaryRow",
    "build_step_form",
    "canonical_json",
    "content_hash",
    "drop_hidden",
    "dump_yaml",
    "has_answer",
    "is_met",
    "load_definition_text",
    "parse_definition",
    "summarise",
    "visible_fields",
    "visible_steps",
]
