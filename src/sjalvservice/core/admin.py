from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.models import Municipality
from sjalvservice.core.validators import OrganisationNumberField


class MunicipalityForm(forms.ModelForm):
    organisation_number = OrganisationNumberField(
        label=_("organisationsnummer"), help_text=_("Tio siffror, t.ex. 2120002627.")
    )
    website = forms.URLField(label=_("webbplats"), required=False, assume_scheme="https")

    class Meta:
        model = Municipality
        fields = [
            "name", "slug", "organisation_number", "contact_email", "contact_phone", "website",
            "is_active",
        ]  # fmt: skip


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    form = MunicipalityForm
    list_display = ("name", "organisation_number", "contact_email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation_number")
    prepopulated_fields = {"slug": ("name",)}
