import pytest


@pytest.fixture
def template(sample_snapshots):
    """A real published snapshot whose searched fields the builders replace."""
    return sample_snapshots["food_business_licence"]


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run what publishing schedules for after the commit (the index update) at once."""

    def run(build):
        with django_capture_on_commit_callbacks(execute=True):
            return build()

    return run
