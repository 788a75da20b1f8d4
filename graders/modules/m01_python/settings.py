"""Settings / load_settings: typed configuration from a YAML file and MLK_* environment variables.

The oracle is pydantic-settings itself, in the grading process: a reference ``Settings``
whose sources are (environment, YAML file) in that order of priority, with the
environment read from the scenario's dict instead of ``os.environ``. The probe sets the
variables in the sandbox's ``os.environ`` (cleared between scenarios), writes the YAML file
into the scratch directory, calls ``load_settings`` and reports fields, errors and whether
the secret shows in ``repr``/``str``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise

from .sandbox_config import settings_probe

SECRET_FILE, SECRET_ENV = "sk-file-7f3a9c2e", "sk-env-41d8b6aa"


def _reference(yaml_path, environ):
    from pydantic import Field, SecretStr
    from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict, YamlConfigSettingsSource
    class DictEnv(EnvSettingsSource):
        def _load_env_vars(self):
            return {k.lower(): v for k, v in environ.items()}

    class Reference(BaseSettings):
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
            sources = [init_settings, DictEnv(settings_cls)]
            if yaml_path is not None:
                sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=yaml_path))
            return tuple(sources)

    return Reference()


def settings_ref(scenario):
    """("ok", {field: value}) or ("error", {field names in the error})."""
    from pydantic import ValidationError

    with tempfile.TemporaryDirectory() as folder:
        path = None
        if scenario.get("yaml") is not None:
            path = Path(folder) / "config.yaml"
            path.write_text(scenario["yaml"], encoding="utf-8")
        try:
            ref = _reference(path, scenario.get("env", {}))
        except ValidationError as exc:
            return "error", {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    fields = ref.model_dump()
    fields["api_key"] = ref.api_key.get_secret_value()
    return "ok", fields


def _where(field, scenario):
    env = scenario.get("env", {})
    if f"MLK_{field.upper()}" in env:
        return "env"
    return "file" if f"\n{field}:" in "\n" + (scenario.get("yaml") or "") else "default"


def _env_ignored(obs, want, scenario) -> bool:
    """No field set only by an MLK_ variable came out as that variable says: the environment is not read."""
    yaml_text = "\n" + (scenario.get("yaml") or "")
    env_only = [k[4:].lower() for k in scenario.get("env", {}) if f"\n{k[4:].lower()}:" not in yaml_text]
    checked = [n for n in env_only if n in obs["fields"] and n not in ("data_dir", "api_key")]
    return bool(checked) and all(_field_problem(n, obs["fields"][n], want[n], scenario) for n in checked)


def _field_problem(name, got, want, scenario, env_read=True):
    if "missing" in got:
        return f"reading `settings.{name}` raised {got['missing']}"
    if name == "data_dir":
        if not got["is_path"]:
            return "`data_dir` must be a pathlib.Path (annotate it `data_dir: Path`)"
        return None if got["text"] == str(want) else "`data_dir` is not the configured path"
    if name == "api_key":
        if got["is_str"] or got["secret"] is None:
            return "secret-as-str"
        return None if got["secret"] == want else "`api_key` does not hold the configured secret"
    value = got["value"]
    if value == want and type(value) is type(want):
        return None
    source = _where(name, scenario)
    if source == "env" and env_read and f"\n{name}:" in "\n" + (scenario.get("yaml") or ""):
        return "file-over-env"
    if source == "env":
        return "env-ignored"
    if source == "file":
        return f"`{name}` did not come from the YAML file"
    return f"`{name}` does not have its default"


MESSAGES = {
    "file-over-env": ("file-over-env", "a value from the YAML file beat the MLK_ environment variable: passing the "
                      "file's values as keyword arguments (`Settings(**yaml_values)`) gives them the highest "
                      "priority. Make the file a settings *source* ranked below the environment "
                      "(settings_customise_sources with YamlConfigSettingsSource)"),
    "env-ignored": ("env-ignored", "a field set by an MLK_ environment variable did not take its value: read the "
                    "variables with the prefix MLK_ (`env_prefix=\"MLK_\"`) and rank the environment above the "
                    "file"),
    "secret-as-str": ("secret-as-str", "`api_key` is a plain str, so it leaks into logs and tracebacks: type it "
                      "`SecretStr` (read it with `.get_secret_value()`)"),
}


def judge(cases, observations):
    for case, obs in zip(cases, observations):
        scenario = case.args[0]
        if "error" in obs and obs["error"].get("not_implemented"):
            return error_failure(case, obs["error"])
        status, want = settings_ref(scenario)
        if status == "error":
            if "error" not in obs:
                if all(_where(f, scenario) == "env" for f in want) and "unknown" not in case.tags:
                    return incorrect(case, f"{MESSAGES['env-ignored'][1]} (this value should have failed "
                                           "validation).", "env-ignored")
                if "unknown" in case.tags:
                    return incorrect(case, "an unknown key in the file was silently accepted: forbid extra keys "
                                           "(`extra=\"forbid\"`, the BaseSettings default, unless you changed it or "
                                           "filtered the file).", "unknown-key-accepted")
                return incorrect(case, f"this should fail validation ({', '.join(sorted(want))}): declare the bounds "
                                       "with `Field(ge=..., le=...)` / `gt`/`lt` and required fields without a "
                                       "default.", "bounds-not-enforced")
            if not obs.get("value_error"):
                return incorrect(case, f"the error must be a ValueError (pydantic's ValidationError is one); you "
                                       f"raised {obs['error']['type']}.", "not-value-error")
            missing = [f for f in sorted(want) if f not in obs["error"]["message"]]
            if missing:
                return incorrect(case, f"your error message does not name the field {missing[0]!r}; let "
                                       "pydantic's ValidationError through (or name the field).", "field-not-named")
            continue
        if "error" in obs:
            return error_failure(case, obs["error"])
        if not obs["is_settings"]:
            return incorrect(case, f"load_settings must return a Settings instance; it returned a {obs['type']}.")
        env_read = not _env_ignored(obs, want, scenario)
        for name, got in obs["fields"].items():
            problem = _field_problem(name, got, want[name], scenario, env_read)
            if problem in MESSAGES:
                mid, text = MESSAGES[problem]
                return incorrect(case, f"{text}.", mid)
            if problem:
                return incorrect(case, f"{problem}.")
        if obs["leaks"]:
            return incorrect(case, "the secret shows in `repr(settings)` or `str(settings)`: type `api_key` as "
                                   "`SecretStr`.", "secret-as-str")
    return None


def sc(label, yaml=None, env=None, path="str", tags=()):
    secret = SECRET_ENV if "MLK_API_KEY" in (env or {}) else SECRET_FILE if yaml and "api_key" in yaml else None
    return Case(({"yaml": yaml, "env": dict(env or {}), "path": path if yaml is not None else "none",
                  "secret": secret},), {}, label, frozenset(tags))


FILE = f"data_dir: data/raw\nbatch_size: 64\napi_key: {SECRET_FILE}\n"


def _file_cases():
    edges = f"data_dir: /srv/data\nbatch_size: 4096\nlearning_rate: 0.999\nuse_gpu: true\ntags: [a, b]\n" \
            f"api_key: {SECRET_FILE}\n"
    return [sc("a YAML file with data_dir, batch_size and api_key (path as a str)", FILE),
            sc("a YAML file setting every field, at the edges of the bounds (path as a Path)", edges, path="path")]


def _env_cases():
    both = f"data_dir: /srv/data\nbatch_size: 64\nlearning_rate: 0.01\ntags: [a, b]\napi_key: {SECRET_FILE}\n"
    return [sc("a YAML file and MLK_BATCH_SIZE=128, MLK_TAGS='[\"x\", \"y\", \"z\"]', MLK_USE_GPU=true", both,
               {"MLK_BATCH_SIZE": "128", "MLK_TAGS": '["x", "y", "z"]', "MLK_USE_GPU": "true"}),
            sc("path=None with MLK_DATA_DIR and MLK_API_KEY set", None,
               {"MLK_DATA_DIR": "/data", "MLK_API_KEY": SECRET_ENV}),
            sc("a YAML file without api_key and MLK_API_KEY set (path as a Path)", "data_dir: cache\n",
               {"MLK_API_KEY": SECRET_ENV, "MLK_LEARNING_RATE": "0.05"}, path="path")]


def _invalid_cases():
    return [sc("a YAML file without api_key, no MLK_ variables", "data_dir: data\n"),
            sc("batch_size: 0 in the file", FILE.replace("64", "0")),
            sc("MLK_BATCH_SIZE=5000", FILE, {"MLK_BATCH_SIZE": "5000"}),
            sc("learning_rate: 1.0 in the file", FILE + "learning_rate: 1.0\n"),
            sc("MLK_LEARNING_RATE=0", FILE, {"MLK_LEARNING_RATE": "0"}),
            sc("batch_size: many in the file", FILE.replace("64", "many")),
            sc("a valid file (the error checks count only when valid settings load)", FILE)]


def _unknown_cases():
    return [sc("a YAML file with the unknown key `batchsize`", FILE + "batchsize: 16\n", tags=("unknown",)),
            sc("a YAML file with the unknown key `lr`", FILE + "lr: 0.1\n", tags=("unknown",)),
            sc("a valid file (the error check counts only when valid settings load)", FILE)]


def _secret_cases():
    return [sc("settings loaded from a file holding api_key", FILE),
            sc("settings loaded with MLK_API_KEY set", FILE.replace(f"api_key: {SECRET_FILE}\n", ""),
               {"MLK_API_KEY": SECRET_ENV})]


def _check(title, points, cases):
    return Check(title, points, cases, judge, probe=settings_probe, timeout=15.0,
                 probe_args=lambda target, cs: ("Settings", "load_settings", [c.args[0] for c in cs]))


Settings = Exercise(
    "Settings",
    skill="configuration",
    cell_timeout=15.0,
    hints=(
        "pydantic-settings reads each field from several sources in a priority order (init arguments, "
        "environment, dotenv, secrets files, and any you add); types and bounds are validated on the way in.",
        "Declare the fields with types and Field(ge=..., le=...) bounds, set model_config = SettingsConfigDict("
        "env_prefix='MLK_'), and override settings_customise_sources to return (init_settings, env_settings, "
        "YamlConfigSettingsSource(settings_cls, yaml_file=...)) so the environment outranks the file. "
        "load_settings picks the file per call (for example a subclass whose model_config names the file).",
        "`class _FromFile(Settings): model_config = SettingsConfigDict(yaml_file=path)`; "
        "`return _FromFile() if path is not None else Settings()`; `api_key: SecretStr`",
    ),
    checks=(
        _check("YAML file values, defaults for the rest", 2, _file_cases),
        _check("MLK_ variables override the file; path=None reads the environment only", 3, _env_cases),
        _check("invalid values raise a ValueError naming the field", 2, _invalid_cases),
        _check("unknown keys in the file are errors", 1, _unknown_cases),
        _check("the secret never shows in repr or str", 2, _secret_cases),
    ),
)
