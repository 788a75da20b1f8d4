"""12_genai: decoding, KV cache, parameter-efficient fine-tuning, retrieval-augmented generation, tool use."""
