def promote_if_better(client, name, run_id, metric, higher_is_better=True, min_delta=0.0, alias="champion"):
    if not client.search_registered_models(filter_string=f"name='{name}'"):
        client.create_registered_model(name)
    existing = {mv.run_id: str(mv.version) for mv in client.search_model_versions(f"name='{name}'")}
    version = existing.get(run_id)
    if version is None:
        version = str(client.create_model_version(name=name, source=f"runs:/{run_id}/model", run_id=run_id).version)
    aliases = client.get_registered_model(name).aliases          # {alias: version}
    holder = str(aliases[alias]) if alias in aliases else None

    def score(of_run):
        return client.get_run(of_run).data.metrics[metric]

    if holder is None:
        better = True
    elif holder == version:
        better = False
    else:
        new = score(run_id)
        old = score(client.get_model_version(name, holder).run_id)
        sign = 1.0 if higher_is_better else -1.0
        better = sign * (new - old) > min_delta
    if better:
        client.set_registered_model_alias(name=name, alias=alias, version=version)
        holder = version
    return {"promoted": better, "version": version, "champion_version": holder}
