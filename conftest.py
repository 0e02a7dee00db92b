"""Root of the test harness: PostgreSQL on demand (SOCIALA_TEST_DB=postgres) for the whole suite."""

from sociala.testing import postgres


def pytest_configure(config):
    # pytest-django has read the settings by now, but no connection is open yet.
    postgres.start_for_session()


def pytest_unconfigure(config):
    postgres.stop_for_session()


def pytest_report_header(config):
    return postgres.describe()
