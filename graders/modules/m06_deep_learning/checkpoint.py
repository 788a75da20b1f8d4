"""save_checkpoint / load_checkpoint: resuming must reproduce uninterrupted training exactly.

The probe trains model A, saves, trains A on; then loads the file into a fresh model
B (other initial weights) and a fresh optimizer, and trains B as long. Without
shuffling or dropout, B must end bit-for-bit where A ended.
"""
from __future__ import annotations

from graders.engine.judges import first_error
from graders.engine.spec import Case, Exercise, checks_with, per_case

from .common import as_float, incorrect, states_equal, what
from .observers import checkpoint_probe


def _restore_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        spec = case.extra
        if not obs["file"]:
            return incorrect(case, "save_checkpoint wrote no file at `path`: save with torch.save(..., path).",
                             "no-file")
        epoch = as_float(obs["epoch"])
        if epoch is None:
            return incorrect(case, f"load_checkpoint returned {what(obs['epoch'])}; it must return the epoch "
                             "stored in the checkpoint.", "epoch-not-returned")
        if epoch != spec["before"]:
            return incorrect(case, f"load_checkpoint returned {epoch:g}, but the checkpoint was saved with "
                             f"epoch={spec['before']}: store the epoch as given and return it unchanged.",
                             "wrong-epoch")
        if not states_equal(obs["loaded"], obs["saved"]):
            return _buffers_failure(case, obs) or incorrect(
                case, "after load_checkpoint the model's weights are not the saved ones: load into the model you are "
                "given (model.load_state_dict(checkpoint['model'])); assigning a new object to the `model` variable "
                "does not change the caller's model.", "weights-not-loaded")
        if spec["check_optimizer"] and obs["opt_entries_ref"] and not obs["opt_entries"]:
            return _optimizer_failure(case)
    return None


def _buffers_failure(case, obs):
    """The parameters came back but BatchNorm's running statistics did not."""
    params_only = {k: v for k, v in obs["saved"].items() if "running" not in k and "num_batches" not in k}
    if len(params_only) < len(obs["saved"]) and states_equal({k: obs["loaded"].get(k) for k in params_only},
                                                             params_only):
        return incorrect(case, "the parameters were restored but not the buffers (BatchNorm's running statistics): "
                         "save model.state_dict(), which holds both.", "buffers-not-saved")
    return None


def _optimizer_failure(case):
    return incorrect(case, "the optimizer's state (Adam's moment estimates, SGD's momentum buffers) was not "
                     "restored, so resumed training takes different steps: save optimizer.state_dict() in the "
                     "checkpoint and call optimizer.load_state_dict(...) in load_checkpoint.",
                     "optimizer-state-not-saved")


def _resume_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        if states_equal(obs["resumed"], obs["uninterrupted"]):
            continue
        if not obs["file"]:
            return incorrect(case, "save_checkpoint wrote no file at `path`: save with torch.save(..., path).",
                             "no-file")
        if not states_equal(obs["loaded"], obs["saved"]):
            return _buffers_failure(case, obs) or incorrect(case, "after load_checkpoint the model's weights are not the saved ones: load into "
                             "the model you are given with model.load_state_dict(...).", "weights-not-loaded")
        if obs["opt_entries_ref"] and not obs["opt_entries"]:
            return _optimizer_failure(case)
        return incorrect(case, "training resumed from your checkpoint does not end where uninterrupted training "
                         "ends: save and restore both model.state_dict() and optimizer.state_dict().")
    return None


def _spec(**kw):
    base = {"n": 40, "d": 5, "k": 3, "batch_size": 16, "before": 3, "after": 2, "check_optimizer": True}
    return {**base, **kw}


ADAM = _spec(optimizer="adam", lr=0.01, data_seed=5, model_seed=3)
MOMENTUM_BN = _spec(n=30, d=4, batch_size=8, momentum=0.9, lr=0.05, batchnorm=True, before=2, after=3,
                    file="run.pth", data_seed=8, model_seed=4)
EXAMPLE = _spec(n=4, d=3, k=2, batch_size=4, optimizer="adam", lr=0.1, before=3, after=1, file="demo.pt")


def _label(spec):
    opt = "Adam" if spec.get("optimizer") == "adam" else "SGD with momentum"
    model = "an MLP with BatchNorm" if spec.get("batchnorm") else "a small MLP"
    def epochs(n):
        return f"{n} epoch{'' if n == 1 else 's'}"

    return (f"{model} trained {epochs(spec['before'])} with {opt}, saved with epoch={spec['before']}, then "
            f"{epochs(spec['after'])} more (uninterrupted vs. loaded into a fresh model and optimizer)")


def _cases(specs):
    return [Case((), {}, _label(s), extra=s) for s in specs]



_check = checks_with(probe=checkpoint_probe, probe_args=per_case("extra"), timeout=20.0)


save_checkpoint = Exercise(
    "save_checkpoint",
    skill="deep learning",
    hints=(
        "A checkpoint must hold everything that decides the next training step: the model's state_dict "
        "(parameters and buffers), the optimizer's state_dict (its moment estimates or momentum buffers) and the "
        "epoch.",
        "save: torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'epoch': epoch}, "
        "path). load: checkpoint = torch.load(path); load both state dicts into the objects you are given; return "
        "the epoch.",
        "`model.load_state_dict(ckpt['model']); optimizer.load_state_dict(ckpt['optimizer']); return "
        "ckpt['epoch']`; pass map_location=next(model.parameters()).device to torch.load to move devices",
    ),
    checks=(
        _check("the example in the notebook", 1, _cases([EXAMPLE]), _restore_judge),
        _check("load_checkpoint restores the weights in place and returns the epoch", 3,
               _cases([{**ADAM, "check_optimizer": False}, {**MOMENTUM_BN, "check_optimizer": False}]), _restore_judge),
        _check("resuming equals uninterrupted training exactly (Adam)", 4, _cases([ADAM]), _resume_judge),
        _check("resuming equals uninterrupted training (SGD momentum, BatchNorm buffers)", 2, _cases([MOMENTUM_BN]),
               _resume_judge),
    ),
)
