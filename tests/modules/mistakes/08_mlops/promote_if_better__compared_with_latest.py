# mistake: compared-with-latest
# expect: not with the latest registered version
def promote_if_better(client, name, run_id, metric, higher_is_better=True, min_delta=0.0, alias="champion"):
    """Register `run_id` as a version of `name` (once) and move `alias` to it on a strict improvement."""
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(name)
    except MlflowException:
        client.create_registered_model(name)
    mine = client.search_model_versions(f"name='{name}' and run_id='{run_id}'")
    if mine:
        version = str(mine[0].version)
    else:
        version = str(client.create_model_version(name, source=f"runs:/{run_id}/model", run_id=run_id).version)

    try:
        holder = client.get_model_version_by_alias(name, alias)
    except MlflowException:
        holder = None
    if holder is None:
        promoted = True
    elif str(holder.version) == version:
        promoted = False
    else:
        new = client.get_run(run_id).data.metrics[metric]
        others = [v for v in client.search_model_versions(f"name='{name}'") if str(v.version) != version]
        latest = max(others, key=lambda v: int(v.version))
        old = client.get_run(latest.run_id).data.metrics[metric]
        promoted = new > old + min_delta if higher_is_better else new < old - min_delta
    if promoted:
        client.set_registered_model_alias(name, alias, version)
    champion = version if promoted else str(holder.version)
    return {"promoted": promoted, "version": version, "champion_version": champion}
