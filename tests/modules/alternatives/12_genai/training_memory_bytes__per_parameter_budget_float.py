def training_memory_bytes(n_params, n_trainable=None, param_dtype="float32", optimizer="adamw",
                          mixed_precision=False):
    width = 4 if param_dtype == "float32" else 2
    n_trainable = n_params if n_trainable is None else n_trainable
    n_states = {"sgd": 0, "sgd_momentum": 1}.get(optimizer, 2)
    per_trainable = width + n_states * (4 if mixed_precision else width) + (4 if mixed_precision else 0)
    return float(n_params * width + n_trainable * per_trainable)      # a float holding the whole number


def kv_cache_bytes(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype="bfloat16"):
    per_token = n_layers * n_kv_heads * head_dim * (4 if dtype == "float32" else 2)
    return 2 * per_token * seq_len * batch_size
