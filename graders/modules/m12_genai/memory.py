"""training_memory_bytes / kv_cache_bytes: what training and a KV cache hold in memory, in bytes.

Without mixed precision the oracle is torch itself: a model with that many parameters (some frozen) is
built in the given dtype, one optimizer step runs, and the bytes of the parameters, their gradients and
the optimizer's state tensors are added up (the per-tensor ``step`` counters left out, as pinned). For
sizes no test machine can allocate, and under mixed precision, the pinned formula is the reference; the
test suite checks that formula against torch on every small case.
"""
from __future__ import annotations

import torch

from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake

from .common import mistake, pinned

EX = "training_memory_bytes"
SIZE = {"float32": 4, "bfloat16": 2, "float16": 2}
STATES = {"sgd": 0, "sgd_momentum": 1, "adam": 2, "adamw": 2}
TORCH_LIMIT = 3_000_000          # parameters: above this the formula is the reference


def formula(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw", mixed_precision=False, *,
            frozen_counted=False, adam_states=2, master=True, master_all=False, bits=False, states_in_param=False):
    """The pinned formula, with switches that turn it into the known wrong ones."""
    trainable = n_params if n_trainable is None or frozen_counted else n_trainable
    size = SIZE[param_dtype] * (8 if bits else 1)
    n_states = adam_states if optimizer in ("adam", "adamw") else STATES[optimizer]
    state_size = 4 * (8 if bits else 1) if mixed_precision and not states_in_param else size
    total = n_params * size + trainable * size + trainable * n_states * state_size
    if mixed_precision and master:
        total += (n_params if master_all else trainable) * 4 * (8 if bits else 1)
    return int(total)


@pinned
def torch_bytes(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw"):
    """What torch allocates for weights, gradients and optimizer states after one step."""
    n_trainable = n_params if n_trainable is None else n_trainable
    dtype = getattr(torch, param_dtype)
    sizes = [s for s in (n_trainable // 2, n_trainable - n_trainable // 2) if s]
    frozen = [s for s in (n_params - n_trainable,) if s]
    params = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in sizes]
    params += [torch.zeros(s, dtype=dtype, requires_grad=False) for s in frozen]
    trainable = [p for p in params if p.requires_grad]
    make = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
            "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
            "adam": lambda ps: torch.optim.Adam(ps, lr=0.1),
            "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.1)}[optimizer]
    optimizer_ = make(trainable) if trainable else None
    if trainable:
        sum((p.float() * 1.5).sum() for p in trainable).backward()
        optimizer_.step()
    total = sum(p.numel() * p.element_size() for p in params)
    total += sum(p.grad.numel() * p.grad.element_size() for p in trainable)
    if optimizer_ is not None:
        for state in optimizer_.state.values():
            total += sum(t.numel() * t.element_size() for k, t in state.items()
                         if isinstance(t, torch.Tensor) and k != "step")
    return int(total)


def training_memory_ref(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw", mixed_precision=False):
    if not mixed_precision and n_params <= TORCH_LIMIT:
        return torch_bytes(n_params, n_trainable, param_dtype, optimizer)
    return formula(n_params, n_trainable, param_dtype, optimizer, mixed_precision)


def kv_formula(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype="bfloat16", *, factor=2, bits=False):
    return int(factor * n_layers * n_kv_heads * head_dim * seq_len * batch_size * SIZE[dtype] * (8 if bits else 1))


def kv_cache_ref(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype="bfloat16"):
    return kv_formula(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype)


def exact_int():
    """Exactly the expected number of bytes: an int (or a float holding that whole number)."""
    from .common import as_float

    def compare(got, expected):
        value = as_float(got)
        if value is None or isinstance(got, str):
            return f"expected a whole number of bytes, got a value of type {type(got).__name__}"
        if value == expected:
            return None
        rel = abs(value - expected) / max(abs(expected), 1)
        return f"your number of bytes is {'too large' if value > expected else 'too small'} (relative error about " \
               f"{rel:.0e})"

    return compare


def _v(**switches):
    return lambda *a, **k: formula(*a, **k, **switches)


TRAIN_SLIPS = (   # (id, message, variant); several may coincide on one input (7e9 AdamW: 84e9 three ways)
    ("bits-not-bytes", "you counted bits: bytes per element are 4 for float32 and 2 for bfloat16/float16",
     _v(bits=True)),
    ("frozen-counted", ("frozen parameters have no gradients and no optimizer states: count those only for the "
     "n_trainable parameters (the weights of all n_params stay)"), _v(frozen_counted=True)),
    ("adam-one-state", "Adam and AdamW keep two states per trainable parameter (exp_avg and exp_avg_sq), not one",
     _v(adam_states=1)),
    ("master-copy-missing", ("mixed precision keeps a float32 master copy of every trainable parameter (4 bytes "
     "each) besides the low-precision weights"), _v(master=False)),
    ("master-copy-for-frozen", "the float32 master copy is kept for trainable parameters only", _v(master_all=True)),
    ("mixed-states-low-precision", ("under mixed precision the optimizer states are float32 (4 bytes each), whatever "
     "param_dtype is"), _v(states_in_param=True)),
)


def _slips_matching(case, obs, expected) -> list[int]:
    """Indices of the slips whose number the learner returned (and that differ from the right one)."""
    if "value" not in obs or expected is None:
        return []
    compare, hits = exact_int(), []
    for i, (_, _, variant) in enumerate(TRAIN_SLIPS):
        try:
            wrong = variant(*case.args, **case.kwargs)
        except Exception:  # noqa: BLE001, S112 - a variant that cannot run on this case does not match
            continue
        if compare(wrong, expected) is not None and compare(obs["value"], wrong) is None:
            hits.append(i)
    return hits


def _only(index):
    return lambda case, obs, expected: _slips_matching(case, obs, expected) == [index]


TRAIN_MISTAKES = tuple(Mistake(id_, message, detect=_only(i)) for i, (id_, message, _) in enumerate(TRAIN_SLIPS)) + (
    Mistake("several-slips", "your number is what several slips give on this input: check that Adam/AdamW keep two "
            "states, that mixed precision keeps the optimizer states in float32 (4 bytes) and adds a float32 master "
            "copy of the trainable weights", detect=lambda c, o, e: len(_slips_matching(c, o, e)) > 1),
)
KV_MISTAKES = (
    mistake("kv-factor-2-missing", "a KV cache stores keys *and* values: multiply by 2",
            lambda *a, **k: kv_formula(*a, **k, factor=1), compare=exact_int()),
    mistake("bits-not-bytes", "you counted bits: bytes per element are 4 for float32 and 2 for bfloat16/float16",
            lambda *a, **k: kv_formula(*a, **k, bits=True), compare=exact_int()),
)

NAMED = tuple(dict.fromkeys([slip[0] for slip in TRAIN_SLIPS] + [m.id for m in KV_MISTAKES]))
TRAIN = returns(training_memory_ref, exact_int(), TRAIN_MISTAKES, "weights + gradients + optimizer states "
                "(+ a float32 master copy under mixed precision), in bytes")
KV = returns(kv_cache_ref, exact_int(), KV_MISTAKES, "2 x layers x kv heads x head_dim x seq_len x batch x bytes")


def _c(*args, label="", **kwargs):
    shown = ", ".join([str(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return Case(args, kwargs, f"({shown}){label}")


EXAMPLE = [_c(7_000_000_000, param_dtype="bfloat16", optimizer="adamw", mixed_precision=True,
              label=": 7e9 parameters, bf16 AdamW mixed"),
           _c(32, 8, 128, 4096, 1, label=": a Llama-style KV cache")]
FULL = [_c(1_234_567), _c(250_000, param_dtype="float32", optimizer="sgd"),
        _c(333_333, optimizer="sgd_momentum"), _c(100_003, optimizer="adam"),
        _c(777_777, param_dtype="bfloat16", optimizer="adamw"), _c(65_536, param_dtype="float16", optimizer="adam")]
FROZEN = [_c(1_000_000, 12_288), _c(2_000_000, 500_000, "bfloat16", "adam"), _c(400_000, 0, "float32", "adamw"),
          _c(900_001, 30_000, optimizer="sgd_momentum"), _c(70_000_000_000, 40_000_000, "bfloat16", "adamw",
                                                          label=": LoRA-style, 40e6 of 70e9 trainable")]
MIXED = [_c(125_000_000, None, "float16", "sgd_momentum", True), _c(7_000_000_000, None, "bfloat16", "adam", True),
         _c(1_300_000_000, 1_300_000_000, "float16", "adamw", True),
         _c(8_000_000_000, 20_000_000, "bfloat16", "adamw", True),
         _c(350_000_000, None, "bfloat16", "sgd", True)]
KV_CASES = [_c(32, 8, 128, 8192, 4), _c(80, 8, 128, 32_768, 1, "float16"), _c(12, 12, 64, 1024, 16, "float32"),
            _c(2, 1, 16, 7, 3, dtype="bfloat16"), _c(61, 1, 576, 4096, 2)]


def _kv_check(title, points, cases):
    return Check(title, points, cases, KV, target="kv_cache_bytes")


training_memory_bytes = Exercise(
    EX,
    skill="training efficiency",
    hints=(
        ("Training memory (without activations) is weights + gradients + optimizer states; frozen parameters "
        "have weights only. Mixed precision adds a float32 master copy of the trainable weights and keeps the "
        "optimizer states in float32. A KV cache holds a key and a value vector per layer, KV head and position."),
        ("trainable = n_params if n_trainable is None else n_trainable; size = 4 or 2; states = {sgd: 0, "
        "sgd_momentum: 1, adam: 2, adamw: 2}; state size = 4 if mixed_precision else size."),
        ("`total = n_params * size + trainable * size + trainable * states * state_size + (trainable * 4 if "
        "mixed_precision else 0)`; `kv = 2 * n_layers * n_kv_heads * head_dim * seq_len * batch_size * size`"),
    ),
    checks=(
        Check("the example in the notebook", 1, EXAMPLE[:1], TRAIN),
        Check("all parameters trained: what torch allocates (weights, gradients, states)", 2, FULL, TRAIN),
        Check("frozen parameters: weights only", 2, FROZEN, TRAIN),
        Check("mixed precision: float32 states and master copy", 2, MIXED, TRAIN),
        _kv_check("kv_cache_bytes: keys and values, per layer, KV head and position", 3, EXAMPLE[1:] + KV_CASES),
    ),
)
