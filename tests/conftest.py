"""Test set-up shared by every test: Qt offscreen, settings and data kept in tmp."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI runs a short fuzz; `make fuzz` runs the long one (HYPOTHESIS_PROFILE=fuzz).
settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
FUZZ_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


def fuzz_examples(ci: int) -> int:
    """Examples per fuzz test: `ci` in the normal suite, at least 1,000 under `make fuzz`."""
    return max(ci, 1000) if FUZZ_PROFILE else ci


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test with 'fuzz' in its name or module is a fuzz test (`make fuzz` runs them)."""
    for item in items:
        if "fuzz" in item.name or "fuzz" in item.module.__name__:
            item.add_marker(pytest.mark.fuzz)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SANDBOX = Path(tempfile.mkdtemp(prefix="news-annotator-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["HOME"] = str(_SANDBOX / "home")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO_CORPUS = ROOT / "corpora" / "demo"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a skip when this checkout has no shared folder beside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (tests that read real third-party files skip)")
    return SHARED_DATA


@pytest.fixture
def project(tmp_path):
    """A new, empty project with the default news schema."""
    from news_annotator.project import Project

    with Project.create(tmp_path / "test.annotator") as opened:
        yield opened


@pytest.fixture
def demo_project(tmp_path):
    """A project holding the demo corpus."""
    from news_annotator.importing import import_paths
    from news_annotator.project import Project

    with Project.create(tmp_path / "demo.annotator") as opened:
        import_paths(opened, [DEMO_CORPUS])
        yield opened


@pytest.fixture
def xvfb():
    """A real X server for tests that drive the app in its own process (tests/real_display)."""
    from tests.real_display import missing_tools, start_display

    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    with start_display() as display:
        yield display


# -- a PostgreSQL server for team-project tests (tests/pg_server.py) ------------------


@pytest.fixture(scope="session")
def postgres_server():
    """A scratch PostgreSQL server for the whole session (Unix socket only), or a skip
    that says why when no PostgreSQL binaries are installed."""
    from tests.pg_server import ScratchServer, find_binaries

    binaries, reason = find_binaries()
    if binaries is None:
        pytest.skip(reason)
    server = ScratchServer(binaries)
    yield server
    server.stop()


@pytest.fixture
def server_url(postgres_server):
    """The address of a new, empty database, as the owner role that will `init` it."""
    return postgres_server.url(postgres_server.new_database())


@pytest.fixture(params=["file", "server"])
def any_project(request, tmp_path):
    """A new project with the default schema, once as a file and once on the server:
    behaviour both backends share is tested on both."""
    from news_annotator.project import Project

    if request.param == "file":
        location = tmp_path / "test.annotator"
    else:
        location = request.getfixturevalue("server_url")
    with Project.create(location) as opened:
        yield opened
