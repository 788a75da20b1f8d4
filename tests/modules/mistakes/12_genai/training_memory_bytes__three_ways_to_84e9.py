# mistake: several-slips
# expect: what several slips give on this input
def training_memory_bytes(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw",
                          mixed_precision=False):
    """Per trainable parameter: its gradient and its optimizer states; every parameter: its weight."""
    # the slip: no float32 master copy under mixed precision. On the notebook's 7e9 bf16 AdamW example this
    # gives 84e9, as Adam-with-one-state and states-in-bfloat16 would: the grader cannot tell which slip it is
    nbytes = 2 if param_dtype in ("bfloat16", "float16") else 4
    state_bytes = 4 if mixed_precision else nbytes
    per_state = {"sgd": 0, "sgd_momentum": 1, "adam": 2, "adamw": 2}[optimizer]
    trainable = n_params if n_trainable is None else n_trainable
    return n_params * nbytes + trainable * (nbytes + per_state * state_bytes)


def kv_cache_bytes(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype="bfloat16"):
    nbytes = 4 if dtype == "float32" else 2
    return 2 * n_layers * n_kv_heads * head_dim * seq_len * batch_size * nbytes
