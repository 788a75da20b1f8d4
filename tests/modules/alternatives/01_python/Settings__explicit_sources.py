import json
import os
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field, SecretStr, conint
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Constraints as Annotated types; load_settings merges the environment over the file by hand."""

    model_config = SettingsConfigDict(env_prefix="mlk_")

    data_dir: Path
    batch_size: conint(ge=1, le=4096) = 32
    learning_rate: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.001
    use_gpu: bool = False
    tags: list[str] = Field(default_factory=list)
    api_key: SecretStr


def load_settings(path=None):
    values = {}
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            values = yaml.safe_load(fh) or {}
    for name in Settings.model_fields:
        raw = os.environ.get("MLK_" + name.upper())
        if raw is not None:
            values[name] = json.loads(raw) if name == "tags" else raw
    return Settings(**values)
