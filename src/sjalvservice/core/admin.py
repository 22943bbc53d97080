from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sjalvservice.core import uploads
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
            "is_active", "host", "brand_colour", "logo", "accessibility_statement",
        ]  # fmt: skip

    def clean_host(self) -> str | None:
        host = (self.cleaned_data.get("host") or "").strip().lower()
        return host or None  # unique: no host is NULL, not ""

    def clean_logo(self) -> object:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            problem = logo_problem(logo)
            if problem:
                raise forms.ValidationError(problem)
        return logo


LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def logo_problem(upload: UploadedFile) -> str:
    """Why a file cannot be a municipality's logo: a PNG or an SVG without scripts, at
    most 512 kB (it is on every page of the site). Sniffed as every upload is."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        return str(_("Logotypen får vara högst 512 kB."))
    extension = uploads.extension_of(upload.name or "")
    if LOGO_TYPES.get(extension) == uploads.sniff(upload):
        if extension == "png":
            return ""
        text = upload.read(LOGO_MAX_BYTES).decode("utf-8", errors="replace").lower()
        upload.seek(0)
        if "<script" not in text and "<foreignobject" not in text:
            return ""
    return str(_("Välj en logotyp som är en PNG- eller SVG-bild."))


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    form = MunicipalityForm
    list_display = ("name", "organisation_number", "contact_email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation_number")
    prepopulated_fields = {"slug": ("name",)}
