"""The order state machine of the simulated BankID RP API v6.0.

One :class:`OrderStore` holds every order behind a single lock. Timeouts are not driven by a
timer thread: each operation first brings the orders it reads up to date with the (injectable)
clock, so a test that advances the clock sees the effect on its next call, deterministically.
"""

from __future__ import annotations

import copy
import hmac
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from ..base import Clock
from .model import (
    ApiError,
    AppError,
    Order,
    OrderKind,
    OrderSettings,
    OrderStateError,
    PickUp,
    Status,
    Step,
    UnknownOrder,
    build_qr_content,
    qr_auth_code,
    qr_content,
    qr_time,
)
from .persons import Person, completion_data

__all__ = [
    "ApiError",
    "AppError",
    "Clock",
    "Order",
    "OrderKind",
    "OrderSettings",
    "OrderStateError",
    "OrderStore",
    "Step",
    "UnknownOrder",
    "build_qr_content",
    "qr_auth_code",
    "qr_content",
    "qr_time",
]

QR_INVALID = "QR-koden är ogiltig"
QR_TOO_OLD = "QR-koden är ogiltig eftersom den är för gammal"
ORDER_GONE = "Ordern är inte längre giltig. Börja om i tjänsten där du loggar in."
ORDER_TAKEN = "Ordern har redan startats i en BankID-app."
FORM_MISMATCH = "Formuläret hör inte till någon pågående order. Börja om i tjänsten."
PERSON_MISMATCH = (
    "Tjänsten har begärt att en annan person ska legitimera sig. "
    "Välj den person som tjänsten har begärt."
)
NO_PHONE_ORDER = "Det finns inget telefonärende för det här personnumret."


class OrderStore:
    """All orders of one simulator, thread-safe behind one lock."""

    def __init__(self, clock: Clock, settings: OrderSettings | None = None) -> None:
        self.clock = clock
        self.settings = settings or OrderSettings()
        self._lock = threading.Lock()
        self._orders: dict[str, Order] = {}

    # -- RP API -----------------------------------------------------------------------------

    def create(self, kind: OrderKind, request: Mapping[str, Any]) -> Order:
        """Start an order from a validated request; raise ApiError(alreadyInProgress) on a clash.

        Like the real service, a clash aborts both orders: the running one collects as
        ``failed/cancelled`` and no new order is created.
        """
        requirement = request.get("requirement") or {}
        person = requirement.get("personalNumber") or request.get("personalNumber")
        with self._lock:
            now = self.clock.now()
            self._purge(now)
            if person:
                clashes = [
                    order
                    for order in self._orders.values()
                    if self._refresh(order, now) == "pending"
                    and order.required_personal_number == person
                ]
                for order in clashes:
                    self._finish(order, "failed", "cancelled", now)
                if clashes:
                    raise ApiError(
                        "alreadyInProgress", "An order for this user is already in progress."
                    )
            order = Order.from_request(str(uuid.uuid4()), kind, now, request)
            self._orders[order.order_ref] = order
            return copy.deepcopy(order)

    def collect(self, order_ref: str) -> dict[str, Any]:
        """The ``/collect`` answer; a final state is answered once, within its window."""
        with self._lock:
            order = self._api_order(order_ref)
            now = self.clock.now()
            if self._refresh(order, now) == "pending":
                return {"orderRef": order_ref, "status": "pending", "hintCode": order.hint_code}
            if order.final_collected:
                raise ApiError("invalidParameters", "The order has already been collected.")
            assert order.finished_at is not None
            window = (
                self.settings.complete_collect_window
                if order.status == "complete"
                else self.settings.failed_collect_window
            )
            if now - order.finished_at > window:
                raise ApiError("invalidParameters", "The order is too old to collect.")
            order.final_collected = True
            if order.status == "complete":
                return {
                    "orderRef": order_ref,
                    "status": "complete",
                    "completionData": copy.deepcopy(order.completion_data),
                }
            return {"orderRef": order_ref, "status": "failed", "hintCode": order.hint_code}

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order for the RP; afterwards it is unknown to the API."""
        with self._lock:
            order = self._api_order(order_ref)
            now = self.clock.now()
            if self._refresh(order, now) != "pending":
                raise ApiError("invalidParameters", "The order is already finished.")
            self._finish(order, "failed", "cancelled", now)
            order.cancelled_by_rp = True

    # -- the test app -----------------------------------------------------------------------

    def scan(self, qr_text: str) -> Order:
        """Pick up the order behind a scanned QR code, or raise AppError with the app's text."""
        parts = qr_text.strip().split(".")
        if len(parts) != 4 or parts[0] != "bankid" or not _is_canonical_int(parts[2]):
            raise AppError(QR_INVALID, field="qr")
        _, token, t_text, code = parts
        t = int(t_text)
        with self._lock:
            order = next(
                (o for o in self._orders.values() if o.qr_start_token == token and not o.is_phone),
                None,
            )
            if order is None or order.cancelled_by_rp:
                raise AppError(QR_INVALID, field="qr")
            if not hmac.compare_digest(qr_auth_code(order.qr_start_secret, t), code):
                raise AppError(QR_INVALID, field="qr")
            now = self.clock.now()
            self._refresh(order, now)
            if abs(t - qr_time(order, now)) > self.settings.qr_tolerance:
                raise AppError(QR_TOO_OLD, field="qr")
            self._pick_up(order, "qr", now, field_name="qr")
            return copy.deepcopy(order)

    def pick_up_by_autostart_token(self, token: str, redirect: str | None = None) -> Order:
        """Pick up the order an autostart link points at ("BankID på den här enheten")."""
        with self._lock:
            order = next(
                (
                    o
                    for o in self._orders.values()
                    if o.auto_start_token == token and not o.is_phone and not o.cancelled_by_rp
                ),
                None,
            )
            if order is None:
                raise AppError("Startlänken är ogiltig.", status=404)
            now = self.clock.now()
            self._refresh(order, now)
            self._pick_up(order, "autostart", now, field_name=None)
            order.autostart_redirect = redirect
            return copy.deepcopy(order)

    def pick_up_phone(self, personal_number: str) -> Order:
        """Pick up the newest waiting phone order for ``personal_number``."""
        with self._lock:
            now = self.clock.now()
            waiting = [
                o
                for o in self._orders.values()
                if o.is_phone
                and o.personal_number == personal_number
                and self._refresh(o, now) == "pending"
                and o.picked_up_at is None
            ]
            if not waiting:
                raise AppError(NO_PHONE_ORDER, field="personnummer")
            order = max(waiting, key=lambda o: o.created_at)
            self._pick_up(order, "phone", now, field_name="personnummer")
            return copy.deepcopy(order)

    def open_form(self, app_id: str) -> tuple[Order, Step]:
        """Show the app's next step for a picked-up order and set the matching hint code."""
        with self._lock:
            order = next((o for o in self._orders.values() if o.app_id == app_id), None)
            if order is None or order.picked_up_at is None:
                raise AppError("Ordern finns inte.", status=404)
            self._require_pending(order)
            step = self._step(order)
            order.hint_code = {"call": "userCallConfirm", "mrtd": "userMrtd"}.get(step, "userSign")
            return copy.deepcopy(order), step

    def form_snapshot(self, app_id: str, token: str) -> tuple[Order, Step]:
        """Check a form's order id and token; return the order and its step unchanged."""
        with self._lock:
            order = self._form_order(app_id, token)
            return copy.deepcopy(order), self._step(order)

    def answer_call(self, app_id: str, token: str, *, in_call: bool) -> Order:
        """The phone step: the user confirms or denies talking to the RP right now."""
        with self._lock:
            order = self._form_order(app_id, token)
            if in_call:
                order.call_confirmed = True
            else:
                self._finish(order, "failed", "userDeclinedCall", self.clock.now())
            return copy.deepcopy(order)

    def confirm_mrtd(self, app_id: str, token: str) -> Order:
        """The step-up step: the user has "scanned" their passport or ID card."""
        with self._lock:
            order = self._form_order(app_id, token)
            order.mrtd_done = True
            return copy.deepcopy(order)

    def identify(self, app_id: str, token: str, person: Person, ip_address: str) -> Order:
        """The user "enters the PIN" as ``person``; completes the order if they may."""
        with self._lock:
            order = self._form_order(app_id, token)
            if self._step(order) != "identify":
                raise AppError("Gör klart det föregående steget först.", status=409)
            required = order.required_personal_number
            if required is not None and person.personal_number != required:
                raise AppError(PERSON_MISMATCH, field="person")
            # BankID reports the address the RP sent (endUserIp); phone orders have none.
            self._complete(order, person, order.end_user_ip or ip_address, self.clock.now())
            return copy.deepcopy(order)

    def user_cancel(self, app_id: str, token: str) -> Order:
        """The user pressed "Avbryt" in the app."""
        with self._lock:
            order = self._form_order(app_id, token)
            self._finish(order, "failed", "userCancel", self.clock.now())
            return copy.deepcopy(order)

    # -- control API ------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every order."""
        with self._lock:
            self._orders.clear()

    def get(self, order_ref: str) -> Order:
        """A snapshot of the order, timeouts applied; raise UnknownOrder."""
        with self._lock:
            order = self._control_order(order_ref)
            return copy.deepcopy(order)

    def all(self) -> list[Order]:
        """Snapshots of every order, oldest first."""
        with self._lock:
            now = self.clock.now()
            for order in self._orders.values():
                self._refresh(order, now)
            return [copy.deepcopy(o) for o in sorted(self._orders.values(), key=_created)]

    def qr_now(self, order_ref: str) -> tuple[str, int]:
        """The QR content that is valid right now for a pending QR-capable order."""
        with self._lock:
            order = self._control_order(order_ref)
            if order.is_phone or order.status != "pending":
                raise OrderStateError("only a pending auth or sign order has a QR code")
            t = qr_time(order, self.clock.now())
            return qr_content(order, t), t

    def set_hint(self, order_ref: str, hint_code: str) -> Order:
        """Set any hint code, known or not, on a pending order."""
        with self._lock:
            order = self._control_pending(order_ref)
            order.hint_code = hint_code
            return copy.deepcopy(order)

    def fail(self, order_ref: str, hint_code: str) -> Order:
        """Finish a pending order as failed with any hint code."""
        with self._lock:
            order = self._control_pending(order_ref)
            self._finish(order, "failed", hint_code, self.clock.now())
            return copy.deepcopy(order)

    def complete(
        self, order_ref: str, person: Person, *, force: bool = False, ip_address: str = ""
    ) -> Order:
        """Complete a pending order as ``person``, as if the user identified in the app.

        ``force`` lets a test complete with someone other than ``requirement.personalNumber``,
        to check that the portal itself compares the numbers. ``ip_address`` is where the
        app was, when not where the order was started (a phone on another network).
        """
        with self._lock:
            order = self._control_pending(order_ref)
            required = order.required_personal_number
            if not force and required is not None and person.personal_number != required:
                raise OrderStateError("the order requires another personalNumber")
            now = self.clock.now()
            if order.picked_up_at is None:
                order.picked_up_at, order.picked_up_via = now, "control"
            self._complete(order, person, ip_address or order.end_user_ip or "127.0.0.1", now)
            return copy.deepcopy(order)

    # -- internals (call with the lock held) ------------------------------------------------

    def _refresh(self, order: Order, now: float) -> Status:
        """Apply the timeouts lazily; a timed-out order finishes at its deadline, not now."""
        if order.status == "pending":
            if order.picked_up_at is None:
                deadline = order.created_at + self.settings.start_timeout
                if now >= deadline:
                    self._finish(order, "failed", "startFailed", deadline)
            else:
                deadline = order.created_at + self.settings.order_timeout
                if now >= deadline:
                    self._finish(order, "failed", "expiredTransaction", deadline)
        return order.status

    @staticmethod
    def _finish(order: Order, status: Status, hint_code: str | None, at: float) -> None:
        order.status = status
        order.hint_code = hint_code
        order.finished_at = at

    def _complete(self, order: Order, person: Person, ip_address: str, now: float) -> None:
        order.completion_data = completion_data(
            order_ref=order.order_ref,
            kind=order.kind,
            person=person,
            ip_address=ip_address,
            requirement=order.requirement,
            return_risk=order.return_risk,
            user_visible_data=order.user_visible_data,
            user_non_visible_data=order.user_non_visible_data,
            signed_at=now,
        )
        self._finish(order, "complete", None, now)

    def _pick_up(self, order: Order, via: PickUp, now: float, *, field_name: str | None) -> None:
        if order.status != "pending":
            raise AppError(ORDER_GONE, field=field_name, status=409)
        if order.picked_up_at is not None:
            raise AppError(ORDER_TAKEN, field=field_name, status=409)
        order.picked_up_at, order.picked_up_via = now, via
        order.hint_code = "userCallConfirm" if order.is_phone else "started"

    @staticmethod
    def _step(order: Order) -> Step:
        if order.is_phone and not order.call_confirmed:
            return "call"
        if order.requirement.get("mrtd") is True and not order.mrtd_done:
            return "mrtd"
        return "identify"

    def _require_pending(self, order: Order) -> None:
        if self._refresh(order, self.clock.now()) != "pending":
            raise AppError(ORDER_GONE, status=409)

    def _form_order(self, app_id: str, token: str) -> Order:
        order = next((o for o in self._orders.values() if o.app_id == app_id), None)
        # Compare the token in constant time even though the app listens on loopback only:
        # it is cheap and keeps the check honest.
        if order is None or not hmac.compare_digest(order.form_token, token):
            raise AppError(FORM_MISMATCH, status=403)
        self._require_pending(order)
        return order

    def _api_order(self, order_ref: str) -> Order:
        order = self._orders.get(order_ref)
        if order is None or order.cancelled_by_rp:
            raise ApiError("invalidParameters", "No such order.")
        return order

    def _control_order(self, order_ref: str) -> Order:
        order = self._orders.get(order_ref)
        if order is None:
            raise UnknownOrder(order_ref)
        self._refresh(order, self.clock.now())
        return order

    def _control_pending(self, order_ref: str) -> Order:
        order = self._control_order(order_ref)
        if order.status != "pending":
            raise OrderStateError(f"the order is {order.status}, not pending")
        return order

    def _purge(self, now: float) -> None:
        # A long-running simulator would otherwise keep every order forever; anything finished
        # well beyond both collect windows can no longer be observed through the API.
        keep_for = max(self.settings.complete_collect_window, self.settings.failed_collect_window)
        stale = [
            ref
            for ref, order in self._orders.items()
            if order.finished_at is not None and now - order.finished_at > keep_for + 3600
        ]
        for ref in stale:
            del self._orders[ref]


def _created(order: Order) -> float:
    return order.created_at


def _is_canonical_int(text: str) -> bool:
    # "007" would HMAC differently from str(7); only the form the RP generates is accepted.
    return text.isascii() and text.isdigit() and len(text) <= 9 and str(int(text)) == text
