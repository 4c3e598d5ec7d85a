"""The browser check of the submission limit borrows the offline tests' live server and phone."""
from tests.offline.conftest import browser, live, phone  # noqa: F401  (fixtures, used by name)
