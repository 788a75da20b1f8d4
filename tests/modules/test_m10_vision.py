"""10_vision graders: reference, stub, the banks, trivial answers, and the module's own promises (oracles that
agree with their manual twins, mistake variants that can fire, hidden inputs away from knife edges)."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from banks import ModuleGraderSuite, bank, describe, graded_in_fresh_processes, solution_notebook, submission

from graders.engine.registry import load

MODULE = "10_vision"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {   # every "catch" of the syllabus, by the id the grader gives it
    "im2col": {"channel-last-rows", "padding-ignored", "output-size"},
    "conv2d_backward": {"dx-kernel-flipped", "dw-kernel-flipped", "padding-not-cropped", "stride-ignored-dx",
                        "db-wrong-axes"},
    "maxpool2d_backward": {"average-pool", "overwrite-not-add", "stride-default"},
    "bilinear_resize": {"align-corners", "not-clamped", "rounding"},
    "box_iou": {"plus-one-pixel", "overlap-not-clamped", "input-order", "returns-mask"},
    "mean_average_precision": {"11-point", "no-envelope", "sorted-per-image", "duplicate-tp",
                               "no-gt-classes-as-zero", "across-classes"},
    "crop_and_flip": {"pixel-index-flip", "x-not-swapped", "not-clipped", "empty-kept", "original-width",
                      "mutates-input"},
    "sigmoid_focal_loss": {"unstable-log", "alpha-both-classes", "modulating-p", "alpha-negative-not-honoured",
                           "reduction-ignored"},
}
BLOCKED = {"im2col", "conv2d_backward", "maxpool2d_backward", "bilinear_resize"}   # "implement it yourself"


EXTRA_IDS = {"sigmoid_focal_loss": {"no-grad", "detached-factor"}}    # named by the gradient judge itself


def _cells(judge) -> dict:
    return dict(zip(judge.__code__.co_freevars, (c.cell_contents for c in judge.__closure__ or ())))


def _returns_parts(judge):
    """(compare, expected_for, mistakes) of a returns() judge, also inside all_pass(); None for other judges."""
    cells = _cells(judge)
    if "judges" in cells:
        return next((p for p in map(_returns_parts, cells["judges"]) if p is not None), None)
    if "expected_for" in cells:
        return cells["compare"], cells["expected_for"], cells["mistakes"]
    return None


def _property_ids(judge) -> set[str]:
    cells = _cells(judge)
    ids = {cells["mistake_id"]} if "mistake_id" in cells else set()
    for j in cells.get("judges", ()):
        ids |= _property_ids(j)
    return ids


def _declared(exercise) -> set[str]:
    ids = set(EXTRA_IDS.get(exercise.id, ()))
    for check in exercise.checks:
        parts = _returns_parts(check.judge)
        ids |= {m.id for m in parts[2]} if parts else set()
        ids |= _property_ids(check.judge)
    return ids


def test_every_syllabus_catch_and_declared_mistake_is_in_the_bank():
    banked = {(e.exercise, e.mistake) for e in bank(MODULE, "mistakes")}
    for exercise in SPEC.exercises:
        wanted = SYLLABUS_CATCHES[exercise.id] | _declared(exercise) | ({"blocked-call"} if exercise.id in BLOCKED
                                                                         else set())
        assert SYLLABUS_CATCHES[exercise.id] <= _declared(exercise), exercise.id
        missing = {m for m in wanted if (exercise.id, m) not in banked}
        assert not missing, (exercise.id, missing)


def test_every_syllabus_name_has_its_signature():
    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or "setup" in cell.metadata.get("tags", [])):
            exec(cell.source, ns)
    wanted = {
        "im2col": "(x, kh, kw, stride=1, padding=0)",
        "conv2d_backward": "(dout, x, w, stride=1, padding=0)",
        "maxpool2d_backward": "(dout, x, kernel_size, stride=None)",
        "bilinear_resize": "(img, out_h, out_w)",
        "box_iou": "(a, b)", "nms": "(boxes, scores, iou_threshold)",
        "mean_average_precision": "(preds, targets, iou_threshold=0.5)",
        "crop_and_flip": "(img, boxes, top, left, height, width, hflip=False)",
        "sigmoid_focal_loss": "(logits, targets, alpha=0.25, gamma=2.0, reduction='mean')",
    }
    for name, signature in wanted.items():
        assert str(inspect.signature(ns[name])) == signature, name


# ------------------------------------------------------------------ no points without the work
def _trivial(stub_def: str, body: str) -> str:
    return f"{stub_def}\n    {body}\n"


TRIVIAL_BODIES = ("return None", "return 0", "return 0.0", "print('done')", "return args[0]",
                  "return np.zeros_like(np.asarray(args[0], dtype=float))", "return (args[0],) * 3",
                  "return torch.zeros(())")


@pytest.mark.parametrize("body", TRIVIAL_BODIES)
def test_trivial_answers_score_zero_on_every_exercise(grader, body):
    """One notebook per kind of trivial answer: every function of every answer cell does the same nothing."""
    names = {"im2col": ["im2col"], "conv2d_backward": ["conv2d_backward"], "maxpool2d_backward": ["maxpool2d_backward"],
             "bilinear_resize": ["bilinear_resize"], "box_iou": ["box_iou", "nms"],
             "mean_average_precision": ["mean_average_precision"], "crop_and_flip": ["crop_and_flip"],
             "sigmoid_focal_loss": ["sigmoid_focal_loss"]}
    answers = {ex: "\n\n".join(_trivial(f"def {fn}(*args, **kwargs):", body) for fn in fns)
               for ex, fns in names.items()}
    result = grader.grade(submission(MODULE, answers))
    for ex in result.exercises:
        assert ex.points == 0, describe(ex)


def test_identity_resize_alone_earns_nothing(grader):
    """Returning the image unchanged is right for the same-size case only; that case shares its check."""
    answer = "def bilinear_resize(img, out_h, out_w):\n    return img\n"
    result = grader.grade(submission(MODULE, {"bilinear_resize": answer}), only=["bilinear_resize"])
    assert result.exercises[0].points == 0, describe(result.exercises[0])


# ------------------------------------------------------------------ the module's own promises
@pytest.mark.parametrize("exercise", [ex.id for ex in SPEC.exercises])
def test_every_mistake_variant_differs_from_the_oracle_somewhere(exercise):
    """A variant that equals the reference on every hidden case of its checks could never name its mistake.
    (Detectors, which name a slip item by item, are proven by the bank: each has an answer that trips it.)"""
    from graders.engine.judges import matches_mistake

    fired: dict[int, tuple[str, bool]] = {}
    for check in SPEC.exercise(exercise).checks:
        parts = _returns_parts(check.judge)
        if parts is None:
            continue
        compare, expected_for, mistakes = parts
        for mistake in (m for m in mistakes if m.variant is not None):
            hit = fired.get(id(mistake), (mistake.id, False))[1]
            for case in check.materialize():
                if hit:
                    break
                with np.errstate(all="ignore"):
                    obs = {"value": mistake.variant(*case.args, **case.kwargs)}
                hit = matches_mistake(mistake, case, obs, expected_for(case), compare)
            fired[id(mistake)] = (mistake.id, hit)
    assert all(hit for _, hit in fired.values()), [name for name, hit in fired.values() if not hit]


def test_map_oracle_agrees_with_a_devkit_twin():
    """The reference (switches off) equals an independent VOC-devkit-style implementation on every hidden case."""
    from banks import BANKS

    from graders.modules.m10_vision import detection_map

    ns = {"np": np}
    exec((BANKS / "alternatives" / MODULE / "mean_average_precision__devkit_style.py").read_text(), ns)
    for check in detection_map.mean_average_precision.checks:
        for case in check.materialize():
            assert np.isclose(ns["mean_average_precision"](*case.args, **case.kwargs),
                              detection_map.map_ref(*case.args, **case.kwargs), rtol=1e-12), case.label


def test_resize_manual_formula_is_torch():
    from graders.modules.m10_vision import resize

    for check in resize.bilinear_resize.checks:
        for case in check.materialize():
            assert np.allclose(resize.manual(*case.args), resize.resize_ref(*case.args), rtol=1e-12, atol=1e-12)


def test_crop_reference_agrees_with_pixels():
    """Boxes move with the pixels: paint each kept box into a mask, crop and flip the mask, and the painted
    region is where boxes_out says (integer boxes, so the painting is exact)."""
    from graders.modules.m10_vision.crop import crop_ref

    img = np.zeros((20, 30, 1))
    boxes = np.array([[2.0, 3.0, 9.0, 8.0], [20.0, 1.0, 29.0, 6.0], [5.0, 12.0, 6.0, 19.0]])
    for hflip in (False, True):
        _, kept, keep = crop_ref(img, boxes, 2, 4, 15, 20, hflip)
        for src, dst in zip(boxes[keep], kept):
            mask = np.zeros((20, 30))
            x1, y1, x2, y2 = src.astype(int)
            mask[y1:y2, x1:x2] = 1
            moved = mask[2:17, 4:24][:, ::-1] if hflip else mask[2:17, 4:24]
            rows, cols = np.nonzero(moved)
            assert [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1] == dst.tolist()


def test_focal_reference_is_finite_and_agrees_with_the_float32_formula():
    """The float64 reference against the formula computed in float32 (what a learner returns): within the float32
    tolerance on every hidden case, gradients included."""
    from graders.modules.m10_vision import focal

    for check in focal.sigmoid_focal_loss.checks:
        for case in check.materialize():
            logits, targets = case.args
            kw = dict(case.kwargs)
            x = logits.detach().float().requires_grad_(True)
            t = targets.float()
            ref = focal.focal_ref(logits, targets, **kw)
            out = focal.elementwise(x, t, kw.get("alpha", 0.25), kw.get("gamma", 2.0))
            out = focal._reduce(out, kw.get("reduction", "mean"))
            assert torch.isfinite(ref).all()
            assert np.allclose(out.detach().numpy(), ref.double().numpy(), rtol=1e-4, atol=1e-6), case.label
            if kw.get("gamma", 2.0) >= 1:
                scalar = (out * case.extra.float()).sum() if kw.get("reduction") == "none" else out
                (grad,) = torch.autograd.grad(scalar, x)
                expected = focal._grad(logits, targets, kw.get("alpha", 0.25), kw.get("gamma", 2.0),
                                       kw.get("reduction", "mean"), case.extra)
                assert np.allclose(grad.numpy(), expected.double().numpy(), rtol=1e-4, atol=1e-6), case.label


def test_hidden_boxes_stay_away_from_the_nms_threshold():
    from graders.modules.m10_vision import boxes

    for check in boxes.box_iou.checks[2:]:
        for case in check.materialize():
            b, _, thr = case.args
            assert np.abs(boxes.box_iou_ref(b, b) - thr).min() > 1e-6


def test_torch_watch_sees_the_cells_own_torch_calls_only():
    """A call into torch from the answer cell is seen; numpy is not, nor torch inside a helper of another cell."""
    from graders.modules.m10_vision.helpers import TorchWatch

    ns: dict = {"np": np, "torch": torch}
    exec(compile("def helper(x):\n    return torch.from_numpy(x).sum().item()\n", "<cell answer cell 'im2col'>",
                 "exec"), ns)
    exec(compile("def with_torch(x):\n    return torch.from_numpy(x).sum().item()\n\n\n"
                 "def numpy_only(x):\n    return np.pad(x, 1).sum()\n\n\n"
                 "def via_helper(x):\n    return helper(x)\n\n\n"
                 "def with_functional(x):\n    return torch.nn.functional.pad(torch.from_numpy(x), (1, 1)).numpy()\n",
                 "<cell answer cell 'conv2d_backward'>", "exec"), ns)
    for name, expected in (("with_torch", True), ("numpy_only", False), ("via_helper", False),
                           ("with_functional", True)):
        watch = TorchWatch()
        watch.watch(ns[name])(np.ones((3, 3)))
        assert watch.seen is expected, name


def test_maxpool_oracle_agrees_with_its_manual_router():
    from graders.modules.m10_vision import maxpool

    for check in maxpool.maxpool2d_backward.checks:
        for case in check.materialize():
            dout, x, k = case.args
            s = case.kwargs.get("stride") or k
            assert np.allclose(maxpool.route(dout, x, k, s), maxpool.maxpool_backward_ref(*case.args, **case.kwargs))


def test_spec_loads_without_torch_and_knows_the_build():
    """Grading an untouched notebook needs no torch in the grading process; the CUDA check reads version.py."""
    import subprocess
    import sys

    from graders.modules.m10_vision.spec import cuda_build, cuda_in_version_file

    code = "import sys; from graders.engine.registry import load; load('10_vision'); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert cuda_build() is bool(torch.version.cuda)
    assert cuda_in_version_file("__version__ = '2.13.0'\ncuda: Optional[str] = '12.6'\nhip = None\n")
    assert not cuda_in_version_file("__version__ = '2.13.0+cpu'\ncuda: Optional[str] = None\n")


def test_after_warm_a_grade_runs_no_backward_pass_in_the_grading_process(tmp_path):
    """autograd's gradients (conv2d and max-pool backward, the focal loss's) are kept per case
    (engine/kept_values.py): the first grade on a machine runs torch's backward passes, whose first one imports
    torch's symbolic shapes (0.2 s of a cold grade); a later one and one after `mlkata warm` (10's warm_up) do
    not, and all give the same points and named mistakes. (A wrong conv2d or max-pool backward is still told
    apart by autograd of each slip, so such a grade runs backward passes.)"""
    from graders.modules.m10_vision import spec

    runs = graded_in_fresh_processes(
        MODULE, ("sigmoid_focal_loss__alpha_swapped",), tmp_path, ("torch.fx.experimental.symbolic_shapes",))
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"sigmoid_focal_loss": ["alpha-swapped"]}
    assert runs.imported == (["torch.fx.experimental.symbolic_shapes"], [], [])
    assert "outputs of the torch autograd oracles kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    assert len(runs.kept) == 3                              # conv2d's, max-pool's and the focal loss's
