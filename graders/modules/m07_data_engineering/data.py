"""The shop data of ``datasets/shop.py``, loaded by file path so that no other package named
``datasets`` (Hugging Face's) can shadow it; the grader draws its hidden tables from it with its own seeds."""
from __future__ import annotations

import importlib.util
import sys

from graders.engine.paths import DATASETS

_NAME = "mlkata_datasets_shop"


def _shop_module():
    module = sys.modules.get(_NAME)
    if module is None:
        spec = importlib.util.spec_from_file_location(_NAME, DATASETS / "shop.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return module


shop = _shop_module()
SCHEMAS = shop.SCHEMAS
