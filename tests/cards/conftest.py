from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.content.store import load_corpus
from sitegen.render.env import make_env
from sitegen.render.index import build_index

SITE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return SITE


@pytest.fixture(scope="session")
def config():
    return load_config(SITE)


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(SITE / "content")


@pytest.fixture(scope="session")
def index(corpus, config):
    return build_index(corpus, config)


@pytest.fixture(scope="session")
def env():
    return make_env(None)
