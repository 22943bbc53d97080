"""The admin site at /admin/, installed as Django's default site by ``sjalvservice.apps``."""

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from sjalvservice.core.http import safe_next


class BoundedChangeList(ChangeList):
    """An admin list whose lookups from the address are tried before the list is counted.

    A lookup the database cannot take (a year with 40 digits in the date hierarchy, the day
    0001-01-01, which is before year 1 in UTC) is then a wrong lookup, shown as Django shows
    those (the list again with ``?e=1``), instead of failing while the page is drawn.
    """

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet[Any]:
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        except ArithmeticError as error:  # datetime(99999…) for the date hierarchy
            raise IncorrectLookupParameters(error) from error
        try:
            queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:
            pass  # nothing can match: the database need not be asked
        except (ArithmeticError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class BoundedLists:
    """Mixed into every ``ModelAdmin`` of the site (see ``SecondFactorAdminSite.register``)."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        changelist: type[ChangeList] = super().get_changelist(request, **kwargs)  # type: ignore[misc]
        if issubclass(changelist, BoundedChangeList):
            return changelist
        if changelist is ChangeList:
            return BoundedChangeList
        return type(f"Bounded{changelist.__name__}", (BoundedChangeList, changelist), {})


class SecondFactorAdminSite(OTPAdminSite):
    """The admin, only for platform administrators (``is_superuser``) who logged in with
    password and second factor.

    There is one staff login, the back office's (where django-axes counts failures): the
    admin's own login page sends people there. Other logged-in staff get 404 here, as for
    anything else they may not see: municipality administration is in the back office.
    """

    site_header = _("Självservice – administration")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.site_title = settings.PORTAL_NAME

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """As Django's, with every list a ``BoundedChangeList``, other apps' lists too."""
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, BoundedLists):
            admin_class = type(
                admin_class.__name__,
                (BoundedLists, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request) and request.user.is_superuser)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def only_platform_administrators(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not request.user.is_superuser:
                raise Http404
            return guarded(request, *args, **kwargs)

        return only_platform_administrators

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        return redirect_to_login(target or reverse("admin:index"), reverse("backoffice:login"))
