"""An integration client of Skellefteå for Medborgarförslag, and a way to call as it."""

import pytest

from sjalvservice.api.models import Scope


@pytest.fixture
def actor(karin):
    from sjalvservice.backoffice.services import Actor

    return Actor(karin, "192.0.2.1")


@pytest.fixture
def diarium(actor, suggestion):
    """ "Diariet", allowed everything on Medborgarförslag."""
    from sjalvservice.api import clients

    return clients.create_client(
        by=actor, name="Diariet", eservices=[suggestion], scopes=Scope.values
    )


@pytest.fixture
def token(diarium, actor):
    from sjalvservice.api import clients

    _record, token = clients.issue_token(diarium, by=actor)
    return token


@pytest.fixture
def api(client, token):
    """The test client, calling with the diarium's token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
