import pytest


@pytest.fixture
def editor_client(client, editor, staff_login):
    """A client logged in as the redaktör, second factor included."""
    return staff_login(client, editor)
