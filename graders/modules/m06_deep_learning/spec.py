"""The 06_deep_learning module: its exercises in notebook order."""
import torch

from graders.engine.spec import Module

from .attention import scaled_dot_product_attention
from .backprop import mlp_forward_backward
from .batchnorm import BatchNorm1d
from .checkpoint import save_checkpoint
from .convolution import conv2d
from .digits import keep_digits, train_digits
from .evaluation import evaluate
from .fitting import fit
from .layers import Linear
from .mlp import MLP
from .schedule import set_seed, warmup_cosine
from .training import train_epoch

MODULE = Module(
    id="06_deep_learning",
    version="1",
    title="Deep learning with PyTorch: backprop, modules, training loops, layers",
    skill="deep learning",
    exercises=(mlp_forward_backward, Linear, MLP, train_epoch, evaluate, fit, save_checkpoint, conv2d, BatchNorm1d,
               scaled_dot_product_attention, set_seed, warmup_cosine, train_digits),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # torch first: the zygote then pins it to one thread before forking any sandbox. torch._dynamo is what
    # the first optimizer imports (seconds): imported once here, not again in every probe's fresh child;
    # torch.utils.serialization is what torch.save imports on first use (each checkpoint probe did).
    preload=("numpy", "torch", "torch.nn", "torch.nn.functional", "torch.utils.data", "torch.func", "torch.optim",
             "torch._dynamo", "torch.profiler._cupti_monitor", "torch.utils.serialization",
             "graders.modules.m06_deep_learning.helpers", "graders.modules.m06_deep_learning.observers"),
    # A CUDA context reserves far more address space than any cap leaves room for: with a CUDA build of
    # torch (a GPU machine), the notebook runs uncapped; CPU builds (CI, learners' laptops) keep the cap.
    mem_bytes=None if torch.version.cuda else 2 << 30,
    # the grading process imports it while the sandbox starts: what torch.optim's first optimizer imports
    # (the references replay training loops). Not scikit-learn: the digits are kept (digits.py)
    grading_imports=("torch._dynamo",),
    warm_up=keep_digits,
)
