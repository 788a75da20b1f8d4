# mistake: kv-factor-2-missing
# expect: keys *and* values
def training_memory_bytes(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw",
                          mixed_precision=False):
    """Bytes of weights, gradients and optimizer states (+ an fp32 master copy under mixed precision)."""
    size = {"float32": 4, "bfloat16": 2, "float16": 2}[param_dtype]
    states = {"sgd": 0, "sgd_momentum": 1, "adam": 2, "adamw": 2}[optimizer]
    trainable = n_params if n_trainable is None else n_trainable
    state_size = 4 if mixed_precision else size
    total = n_params * size + trainable * size + trainable * states * state_size
    if mixed_precision:
        total += trainable * 4                 # the float32 master copy of the trainable weights
    return int(total)


def kv_cache_bytes(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype="bfloat16"):
    """Bytes of a KV cache: keys and values for every layer, KV head, position and sequence."""
    size = {"float32": 4, "bfloat16": 2, "float16": 2}[dtype]
    return int(n_layers * n_kv_heads * head_dim * seq_len * batch_size * size)
