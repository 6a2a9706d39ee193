import pytest

from tests.oversight import builders


@pytest.fixture
def places(db):
    return builders.regions()
