from __future__ import annotations

import pytest

from simulator.analysis import Analyzer, build_segmenter, load_spacy
from simulator.bank import load_bank


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture(scope="session")
def nlp():
    return load_spacy()


@pytest.fixture(scope="session")
def analyzer(bank, nlp):
    return Analyzer(bank, build_segmenter(bank, nlp))
