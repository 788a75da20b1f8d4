"""The 10_vision module: its exercises in notebook order."""
import importlib.util
import re
import sys
from pathlib import Path

from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import focal
from .boxes import box_iou
from .conv_backward import conv2d_backward
from .crop import crop_and_flip
from .detection_map import mean_average_precision
from .focal import sigmoid_focal_loss
from .im2col import im2col
from .maxpool import maxpool2d_backward
from .resize import bilinear_resize


def cuda_build() -> bool:
    """Is the installed torch a CUDA build? Read from torch/version.py when torch is not loaded yet, so that
    loading this spec (grading an untouched notebook) does not import torch, which takes seconds."""
    if "torch" in sys.modules:
        return bool(sys.modules["torch"].version.cuda)
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return False
    try:
        return cuda_in_version_file((Path(spec.origin).parent / "version.py").read_text(encoding="utf-8"))
    except OSError:
        return False


def cuda_in_version_file(text: str) -> bool:
    """torch/version.py says ``cuda: Optional[str] = None`` on CPU builds, ``= '12.4'`` (say) on CUDA builds."""
    found = re.search(r"^cuda\b[^=\n]*=\s*(.+)$", text, re.MULTILINE)
    return found is not None and found.group(1).strip() != "None"


def keep_oracle_outputs() -> str:
    """Compute and keep autograd's gradients for every hidden case (``mlkata warm``): a grade then runs no
    backward pass in the grading process unless an answer is wrong."""
    # conv's and maxpool's are ``returns`` judges: their kept oracles are found on them
    kept = keep_outputs(MODULE, {focal.GRADS_JUDGE: (focal.GRAD, focal.grad_args)})
    return f"{kept} outputs of the torch autograd oracles kept"


MODULE = Module(
    id="10_vision",
    version="1",
    title="Computer vision from the pixels up: convolution internals, resizing, boxes, mAP, augmentation, focal loss",
    skill="computer vision",
    exercises=(im2col, conv2d_backward, maxpool2d_backward, bilinear_resize, box_iou, mean_average_precision,
               crop_and_flip, sigmoid_focal_loss),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # torch first: the zygote pins it to one thread before forking any sandbox. Not scipy.ndimage, which
    # bilinear_resize blocks as a whole module: its tripwires are wired if a learner imports it.
    preload=("numpy", "torch", "torch.nn.functional", "PIL.Image",
             "graders.modules.m10_vision.helpers"),
    # a CUDA build of torch reserves more address space than any cap leaves room for (as in 06_deep_learning)
    mem_bytes=None if cuda_build() else 2 << 30,
    # the grading process imports torch while the sandbox starts: the references are torch's own ops, and the
    # focal loss's cases are tensors. Not what torch's first backward pass imports: autograd's gradients are
    # kept per case (engine/kept_values.py), which `mlkata warm` computes once per machine
    grading_imports=("torch",),
    warm_up=keep_oracle_outputs,
)
