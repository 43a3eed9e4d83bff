import pytest

from tests.recognition import factories


@pytest.fixture(autouse=True)
def criteria_sets(db):
    factories.criteria()
