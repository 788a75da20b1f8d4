# mistake: field-not-named
# expect: your error message does not name the field
from pathlib import Path

import yaml
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict, YamlConfigSettingsSource


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MLK_", extra="forbid")

    data_dir: Path
    batch_size: int = Field(32, ge=1, le=4096)
    learning_rate: float = Field(1e-3, gt=0, lt=1)
    use_gpu: bool = False
    tags: list[str] = []
    api_key: SecretStr

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return init_settings, env_settings, YamlConfigSettingsSource(settings_cls)


def load_settings(path=None):
    if path is None:
        return Settings()

    class FromFile(Settings):
        model_config = SettingsConfigDict(yaml_file=path)

    try:
        return FromFile()
    except ValueError:
        raise ValueError("the configuration file is invalid") from None
