from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import Organisation, User


class OptionalUsernameField(UsernameField):
    """Django's username field for a column that citizens leave empty: left empty it is
    None (NULL, so that many citizens can have none), which Django's own field cannot take."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return self.empty_value
        return super().to_python(value)


class UserCreationForm(AdminUserCreationForm):
    """Staff accounts only: they need a username."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)
        field_classes = {"username": OptionalUsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].required = True


class UserChangeForm(DjangoUserChangeForm):
    class Meta(DjangoUserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {"username": OptionalUsernameField}

    def clean_username(self) -> str | None:
        username: str | None = self.cleaned_data["username"]
        if not username and not self.instance.personal_identity_number:
            raise forms.ValidationError(
                _("Ett konto för personal måste ha ett användarnamn."), code="required"
            )
        return username


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff accounts are made here; citizens appear when they first log in with e-ID."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("__str__", "username", "municipality", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "municipality")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name", "username")
    # Recorded by the portal, not typed in: when the account was made and last logged in.
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email")}),
        (_("Arbetsplats"), {"fields": ("municipality",)}),
        (
            _("Behörigheter"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Viktiga datum"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation_number")
    search_fields = ("name", "organisation_number")


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's, except that a device that does not exist is "not found": its pages for
    a device's key and QR code look the device up with ``get()`` and crash instead."""

    def config_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
